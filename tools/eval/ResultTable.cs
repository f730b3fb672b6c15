using System.Globalization;

namespace Gateway.Eval;

/// <summary>Prints the figures per detector as a fixed-width table, then the notes.</summary>
public static class ResultTable
{
    public static void Print(TextWriter output, IReadOnlyList<DetectorResult> results, bool listMisses)
    {
        output.WriteLine();
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,22} {2,20} {3,16} {4,14} {5,8}",
            "detector", "campaign near-dups", "singleton spam", "ham FP", "ham suspect", "seconds"));
        foreach (var result in results)
        {
            if (result.Failure is not null)
            {
                output.WriteLine($"{result.Name,-24} not measured: {result.Failure}");
                continue;
            }

            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0,-24} {1,22} {2,20} {3,16} {4,14} {5,8:0.0}",
                result.Name, Share(result.CampaignOthers, j => j.Caught), Share(result.Singletons, j => j.Caught),
                Share(result.Ham, j => j.Caught), Share(result.Ham, j => j.Suspect), result.Elapsed.TotalSeconds));
        }

        output.WriteLine();
        output.WriteLine("campaign near-dups: other members of a campaign caught after one report of it; " +
            "singleton spam: spam in no campaign caught; ham FP: ham caught as spam (all ham); " +
            "ham suspect: ham only suspected (tagged, not refused; gateway only).");

        if (!listMisses)
        {
            return;
        }

        foreach (var result in results.Where(r => r.Failure is null))
        {
            foreach (var miss in result.CampaignOthers.Where(j => !j.Caught))
            {
                output.WriteLine($"{result.Name}: missed {miss.Message.File} ({miss.Message.Campaign}) {miss.Detail}");
            }

            foreach (var falsePositive in result.Ham.Where(j => j.Caught || j.Suspect))
            {
                output.WriteLine($"{result.Name}: ham {(falsePositive.Caught ? "caught" : "suspect")} " +
                    $"{falsePositive.Message.File} {falsePositive.Detail}");
            }
        }
    }

    private static string Share(IReadOnlyList<Judgement> judgements, Func<Judgement, bool> counted)
    {
        if (judgements.Count == 0)
        {
            return "-";
        }

        var count = judgements.Count(counted);
        return string.Format(CultureInfo.InvariantCulture, "{0}/{1} {2,6:0.0}%", count, judgements.Count,
            100.0 * count / judgements.Count);
    }
}
