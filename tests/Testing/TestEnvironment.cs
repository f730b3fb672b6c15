namespace Gateway.Testing;

/// <summary>
/// Where tests find what lives outside the repository. The Test command (tools/test.sh) starts the
/// servers and exports these variables; run alone, a test that needs one is skipped, except in CI
/// (CI=true), where a missing service is a failure, never a silent skip.
/// </summary>
public static class TestEnvironment
{
    /// <summary>The one setting that points tests at ../shared (corpus and cases).</summary>
    public const string SharedDirVariable = "GATEWAY_SHARED_DIR";

    public const string RedisVariable = "GATEWAY_TEST_REDIS";
    public const string ImapVariable = "GATEWAY_TEST_IMAP";
    public const string LmtpVariable = "GATEWAY_TEST_LMTP";
    public const string MasterUserVariable = "GATEWAY_TEST_IMAP_MASTER_USER";
    public const string MasterPasswordVariable = "GATEWAY_TEST_IMAP_MASTER_PASSWORD";
    public const string DovecotMailVariable = "GATEWAY_TEST_DOVECOT_MAIL";
    public const string DovecotConfigVariable = "GATEWAY_TEST_DOVECOT_CONF";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>../shared beside the repository root, or GATEWAY_SHARED_DIR; null when neither exists.</summary>
    public static string? SharedDir
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(SharedDirVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
            }

            var root = RepositoryRoot;
            if (root is null)
            {
                return null;
            }

            var candidate = Path.GetFullPath(Path.Combine(root, "..", "shared"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    public static string? CorpusDir => SharedDir is { } s && Directory.Exists(Path.Combine(s, "corpus")) ? Path.Combine(s, "corpus") : null;

    public static string? CasesDir => SharedDir is { } s && Directory.Exists(Path.Combine(s, "cases")) ? Path.Combine(s, "cases") : null;

    /// <summary>The folder holding Gateway.sln, found upward from the test binaries.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }
    }

    public static string? Get(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The variable's value; throws with a clear message when it is not set.</summary>
    public static string Require(string variable) =>
        Get(variable) ?? throw new InvalidOperationException(
            $"{variable} is not set: run the tests through tools/test.sh, which starts the test services.");

    /// <summary>Splits "host:port".</summary>
    public static (string Host, int Port) HostPort(string variable)
    {
        var value = Require(variable);
        var colon = value.LastIndexOf(':');
        return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
