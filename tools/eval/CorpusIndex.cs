namespace Gateway.Eval;

/// <summary>Reads corpus/index.tsv (columns in corpus/MANIFEST.md; file, class and campaign are used).</summary>
public static class CorpusIndex
{
    public static IReadOnlyList<CorpusMessage> Read(string corpusDir)
    {
        var indexPath = System.IO.Path.Combine(corpusDir, "index.tsv");
        var lines = File.ReadAllLines(indexPath);
        var header = lines[0].Split('\t');
        int file = Array.IndexOf(header, "file"), cls = Array.IndexOf(header, "class"),
            campaign = Array.IndexOf(header, "campaign");
        if (file < 0 || cls < 0 || campaign < 0)
        {
            throw new InvalidDataException($"{indexPath} lacks a file, class or campaign column.");
        }

        return lines.Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(c => new CorpusMessage(
                c[file], System.IO.Path.Combine(corpusDir, c[file]), c[cls] == "spam", c[campaign]))
            .ToList();
    }
}
