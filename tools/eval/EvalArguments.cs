namespace Gateway.Eval;

/// <summary>Command-line settings of the evaluation tool.</summary>
public sealed record EvalArguments(
    string CorpusDir,
    string? PyzorPython,
    string PyzorScript,
    string? RspamdController,
    string? RspamdWorker,
    string RspamdPassword,
    bool ListMisses,
    IReadOnlyDictionary<string, string?> Settings)
{
    public const string Usage =
        "usage: Gateway.Eval [--corpus DIR] [--pyzor PYTHON [--pyzor-script FILE]]\n" +
        "                    [--rspamd-controller URL --rspamd-worker URL [--rspamd-password PW]] [--list-misses]\n" +
        "                    [--set Section:Setting=VALUE]... (filter settings under Gateway:Fingerprint)\n" +
        "  DIR defaults to $GATEWAY_SHARED_DIR/corpus, else ../shared/corpus beside the repository.";

    public static EvalArguments? Parse(string[] args)
    {
        string? corpus = null, pyzor = null, controller = null, worker = null;
        var script = Path.Combine(AppContext.BaseDirectory, "pyzor_digests.py");
        var password = "q2";
        var misses = false;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--corpus": corpus = Next(); break;
                case "--pyzor": pyzor = Next(); break;
                case "--pyzor-script": script = Next() ?? script; break;
                case "--rspamd-controller": controller = Next(); break;
                case "--rspamd-worker": worker = Next(); break;
                case "--rspamd-password": password = Next() ?? password; break;
                case "--list-misses": misses = true; break;
                case "--set" when Next() is { } setting && setting.Contains('='):
                    // A filter setting under Gateway:Fingerprint, e.g. --set Scoring:FuzzyMatchShare=0.3.
                    var equals = setting.IndexOf('=');
                    settings["Gateway:Fingerprint:" + setting[..equals]] = setting[(equals + 1)..];
                    break;
                default: return null;
            }
        }

        corpus ??= DefaultCorpus();
        if (corpus is null || !File.Exists(Path.Combine(corpus, "index.tsv")))
        {
            Console.Error.WriteLine("corpus not found: pass --corpus or set GATEWAY_SHARED_DIR");
            return null;
        }

        return new EvalArguments(corpus, pyzor, script, controller, worker, password, misses, settings);
    }

    /// <summary>$GATEWAY_SHARED_DIR/corpus, else ../shared/corpus beside the folder holding Gateway.sln.</summary>
    private static string? DefaultCorpus()
    {
        var shared = Environment.GetEnvironmentVariable("GATEWAY_SHARED_DIR");
        if (!string.IsNullOrEmpty(shared))
        {
            return Path.Combine(shared, "corpus");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
            }
        }

        return null;
    }
}
