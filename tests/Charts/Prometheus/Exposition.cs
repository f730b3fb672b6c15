namespace Gateway.Charts.Tests.Prometheus;

/// <summary>
/// The metric families of a Prometheus text exposition (what /metrics serves): every sample name a query
/// can select (histograms add _bucket, _sum and _count) and the label names seen on each.
/// </summary>
public sealed class Exposition
{
    private readonly Dictionary<string, HashSet<string>> _labels = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> SampleNames => _labels.Keys;

    public bool Has(string name) => _labels.ContainsKey(name);

    public IReadOnlySet<string> LabelsOf(string name) => _labels.TryGetValue(name, out var set) ? set : new HashSet<string>();

    public static Exposition Parse(string text)
    {
        var exposition = new Exposition();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var (name, type) = (parts[2], parts[3]);
                string[] samples = type switch
                {
                    "histogram" => [name + "_bucket", name + "_sum", name + "_count"],
                    "summary" => [name, name + "_sum", name + "_count"],
                    _ => [name],
                };
                foreach (var sample in samples)
                {
                    exposition.Labels(sample);
                }

                if (type == "histogram")
                {
                    exposition.Labels(name + "_bucket").Add("le");
                }
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                var brace = line.IndexOf('{');
                var space = line.IndexOf(' ');
                var name = brace >= 0 && brace < space ? line[..brace] : line[..space];
                var set = exposition.Labels(name);
                if (brace >= 0 && brace < space)
                {
                    var body = line[(brace + 1)..line.LastIndexOf('}')];
                    foreach (var pair in body.Split("\","))
                    {
                        var eq = pair.IndexOf('=');
                        if (eq > 0)
                        {
                            set.Add(pair[..eq].Trim(','));
                        }
                    }
                }
            }
        }

        return exposition;
    }

    private HashSet<string> Labels(string name)
    {
        if (!_labels.TryGetValue(name, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _labels[name] = set;
        }

        return set;
    }
}
