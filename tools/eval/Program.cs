using System.Diagnostics;
using Gateway.Eval;

// Efficacy of the fingerprint filter beside pyzor and Rspamd's fuzzy check (see tools/eval/README.md).
// Usage: Gateway.Eval [--corpus DIR] [--pyzor PYTHON] [--rspamd-controller URL --rspamd-worker URL] [--list-misses]
var options = EvalArguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(EvalArguments.Usage);
    return 2;
}

var messages = CorpusIndex.Read(options.CorpusDir);
var split = new EvaluationSplit(messages);
Console.WriteLine($"corpus {options.CorpusDir}: {messages.Count} messages; learned {split.Learned.Count} reports " +
    $"(one per spam campaign); judged {split.CampaignOthers.Count} other campaign members, " +
    $"{split.Singletons.Count} singleton spam, {split.Ham.Count} ham");

var detectors = new List<Func<IDetector>> { () => new GatewayDetector(options.Settings) };
if (options.PyzorPython is not null)
{
    detectors.Add(() => new PyzorDetector(options.PyzorPython, options.PyzorScript));
}

if (options.RspamdController is not null && options.RspamdWorker is not null)
{
    detectors.Add(() => new RspamdDetector(options.RspamdController, options.RspamdWorker, options.RspamdPassword));
}

using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var results = new List<DetectorResult>();
foreach (var create in detectors)
{
    var watch = Stopwatch.StartNew();
    await using var detector = create();
    try
    {
        await detector.LearnAsync(split.Learned, cancellation.Token);
        var campaign = await detector.JudgeAsync(split.CampaignOthers, cancellation.Token);
        var singletons = await detector.JudgeAsync(split.Singletons, cancellation.Token);
        var ham = await detector.JudgeAsync(split.Ham, cancellation.Token);
        results.Add(new DetectorResult(detector.Name, campaign, singletons, ham, watch.Elapsed));
    }
    catch (Exception ex) when (ex is not OperationCanceledException)
    {
        results.Add(DetectorResult.Failed(detector.Name, ex.Message));
    }
}

ResultTable.Print(Console.Out, results, options.ListMisses);
if (results.FirstOrDefault(r => r.Name == "pyzor digest" && r.Failure is null) is { } pyzor)
{
    // pyzor digests a message without digestible lines as SHA-1 of nothing; those all look alike.
    var empty = pyzor.Ham.Count(j => j.Caught && j.Detail == PyzorDetector.EmptyDigest);
    Console.WriteLine($"pyzor: {empty} of its {pyzor.Ham.Count(j => j.Caught)} ham false positives share the " +
        $"empty-content digest {PyzorDetector.EmptyDigest} with a reported spam.");
}

return results.All(r => r.Failure is null) ? 0 : 1;
