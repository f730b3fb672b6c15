using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Xunit;

namespace Gateway.RetroRemediation.Tests;

/// <summary>
/// Which copies an event takes: a shared t1, or at least min_matches of one group's f1 components;
/// never one fuzzy component, never a supporting fingerprint (a1, u1) alone.
/// </summary>
public sealed class RetroRemediationMatchingTests : IDisposable
{
    private const string Ann = "ann@example.test";
    private const string Bob = "bob@example.test";

    private static readonly string[] Components = ["f1:c0", "f1:c1", "f1:c2", "f1:c3"];

    private readonly TestMaildirTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_CopySharesOneFuzzyComponent_IsNotMoved()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "t1:other", "f1:c2", "f1:x1", "f1:x2", "f1:x3");

        var summary = await host.HandleAsync(FuzzyConviction(minMatches: 3));

        Assert.Equal(Summary(found: 0), summary);
        Assert.Single(TestMaildirTree.FilesIn(_tree.MaildirOf(Ann)));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        Assert.Equal(CopyState.Delivered, Assert.Single((await host.FindAsync("t1:other")).Copies).State);
        Assert.Empty((await FindFuzzy(host, minMatches: 3)).Copies);
        Assert.Equal(ann.QueueId, Assert.Single((await FindFuzzy(host, minMatches: 1)).Copies).Record.QueueId);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_CopySharesMinMatchesComponents_IsMoved()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "t1:variant", "f1:c0", "f1:c1", "f1:c3", "f1:x9");
        await Record(host, Bob, "t1:unrelated", "f1:c1", "f1:c2", "f1:y1", "f1:y2");

        var summary = await host.HandleAsync(FuzzyConviction(minMatches: 3));

        Assert.Equal(Summary(found: 1, acted: 1), summary);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.JunkOf(Bob)));
        var found = Assert.Single((await FindFuzzy(host, minMatches: 3)).Copies);
        Assert.Equal((ann.QueueId, CopyState.MovedToJunk), (found.Record.QueueId, found.State));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_CopySharesOnlyAnAttachment_IsNotMoved()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "t1:invoice", "a1:logo", "u1:bigsite");
        var conviction = Events.Convicted("t1:spam");
        conviction.SupportingFingerprints.Add("a1:logo");
        conviction.SupportingFingerprints.Add("u1:bigsite");

        // Even listed with the content fingerprints (an older or careless producer), a1 never decides.
        var careless = Events.Convicted("t1:spam", "a1:logo");

        Assert.Equal(Summary(found: 0), await host.HandleAsync(conviction));
        Assert.Equal(Summary(found: 0), await host.HandleAsync(careless));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        Assert.Empty((await host.FindAsync("a1:logo")).Copies);
        Assert.Equal(ann.QueueId, Assert.Single((await host.FindAsync("t1:invoice")).Copies).Record.QueueId);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_CopySharesTheExactText_IsMovedWithoutAnyGroup()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "t1:same", "f1:z1");

        var summary = await host.HandleAsync(FuzzyConviction(minMatches: 3, "t1:same"));

        Assert.Equal(Summary(found: 1, acted: 1), summary);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
    }

    private static FingerprintEvent FuzzyConviction(int minMatches, string exact = "t1:spam")
    {
        var conviction = Events.Convicted([exact, .. Components]);
        conviction.Groups.Add(Group(minMatches));
        return conviction;
    }

    private static FingerprintGroup Group(int minMatches) =>
        new() { Kind = "f1", Fingerprints = { Components }, MinMatches = minMatches };

    private static Task<FindDeliveriesReply> FindFuzzy(RemediationHost host, int minMatches) =>
        host.Service.FindDeliveriesAsync(
            new FindDeliveriesRequest { Fingerprints = { Components }, Groups = { Group(minMatches) } },
            CancellationToken.None);

    private Task<RemediationHost> StartHost() =>
        RemediationHost.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Remediation:MaildirRoot"] = _tree.Root });

    private async Task<DeliveryRecord> Record(RemediationHost host, string recipient, params string[] fingerprints)
    {
        var record = _tree.Deliver(recipient, fingerprints);
        await host.RecordAsync(record);
        return record;
    }

    private static RemediationSummary Summary(int found, int acted = 0, int failed = 0, int skipped = 0) => new()
    {
        CopiesFound = found,
        CopiesActed = acted,
        CopiesFailed = failed,
        CopiesSkipped = skipped,
    };
}
