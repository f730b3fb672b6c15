using System.Security.Cryptography;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Sharing;

/// <summary>Two sites exchanging feeds in memory: export from a watermark, signed import, per-peer weight.</summary>
public sealed class FeedExchangeTests : IDisposable
{
    private static CancellationToken Token => CancellationToken.None;

    private readonly ECDsa _keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _keyB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<TestSite> _sites = [];

    private TestSite SiteA() => Add(new TestSite("site-a", _keyA, TestSite.OptionsFor("site-a")));

    private TestSite SiteB(double weightOfA) =>
        Add(new TestSite("site-b", _keyB, TestSite.OptionsFor("site-b", TestSite.Peer("site-a", _keyA, weightOfA))));

    private TestSite Add(TestSite site)
    {
        _sites.Add(site);
        return site;
    }

    private static byte[] Message(int seed) =>
        TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.RandomText(seed))));

    private static ReportRequest Report(ReportKind kind, byte[] message, string source = "admin") =>
        new() { Kind = kind, Message = ByteString.CopyFrom(message), Source = source };

    private static async Task<ScanResult> ScanAsync(TestSite site, byte[] message) =>
        await site.Service.ScanAsync(new ScanRequest { QueueId = "Q", Message = ByteString.CopyFrom(message) },
            Token);

    [Fact]
    public async Task Export_AfterConvictions_SignedBatchesFromTheWatermark()
    {
        var a = SiteA();
        for (var i = 0; i < 3; i++)
        {
            await a.Service.ReportAsync(Report(ReportKind.Spam, Message(i)), Token);
        }

        var all = FeedBatch.Parser.ParseFrom((await a.Exporter.ExportAsync(0, 10, Token)).Batch);
        var later = FeedBatch.Parser.ParseFrom((await a.Exporter.ExportAsync(2, 10, Token)).Batch);
        var paged = FeedBatch.Parser.ParseFrom((await a.Exporter.ExportAsync(0, 2, Token)).Batch);

        Assert.Equal([1L, 2L, 3L], all.Events.Select(e => e.Sequence));
        Assert.All(all.Events, e => Assert.Equal("site-a", e.SiteId));
        Assert.Equal(3, all.ToWatermark);
        Assert.Equal([3L], later.Events.Select(e => e.Sequence));
        Assert.True(paged.More);
        Assert.Equal(2, paged.ToWatermark);
    }

    [Fact]
    public async Task Import_FromFullyTrustedPeer_ConvictsAtOnceAndOnlyOnce()
    {
        var a = SiteA();
        var b = SiteB(weightOfA: 1);
        await a.Service.ReportAsync(Report(ReportKind.Spam, Message(1)), Token);
        var batch = await a.Exporter.ExportAsync(0, 10, Token);

        var first = await b.Importer.ImportAsync(batch, Token);
        var again = await b.Importer.ImportAsync(batch, Token);
        var scan = await ScanAsync(b, Message(1));

        Assert.Equal((1, 0, 1, 1L), (first.Learned, first.Skipped, first.Convictions, first.Watermark));
        Assert.Equal((0, 1), (again.Learned, again.Skipped));
        Assert.Equal(Gateway.V1.Action.Reject, scan.Verdict.Action);
        var local = Assert.Single(b.Publisher.Events);
        Assert.Equal("peer:site-a", local.Source);
        // What B learned from A is not in B's own feed: nothing echoes back to A.
        Assert.Empty((await b.Feed.ReadAsync(0, 10, Token)).Events);
    }

    [Fact]
    public async Task Import_FromHalfTrustedPeer_NeedsALocalReportToo()
    {
        var a = SiteA();
        var b = SiteB(weightOfA: 0.5);
        await a.Service.ReportAsync(Report(ReportKind.Spam, Message(2)), Token);
        await b.Importer.ImportAsync(await a.Exporter.ExportAsync(0, 10, Token), Token);

        var afterImport = await ScanAsync(b, Message(2));
        for (var i = 0; i < 3; i++)
        {
            await b.Service.ReportAsync(Report(ReportKind.Spam, Message(2), $"user:u{i}@b.example"), Token);
        }

        var afterUsers = await ScanAsync(b, Message(2));

        Assert.Equal(Gateway.V1.Action.Accept, afterImport.Verdict.Action);
        Assert.Equal(5, afterImport.Score);
        Assert.Equal(Gateway.V1.Action.Reject, afterUsers.Verdict.Action);
    }

    [Fact]
    public async Task Import_PeersReversal_ReleasesWhatThePeerConvicted()
    {
        var a = SiteA();
        var b = SiteB(weightOfA: 1);
        await a.Service.ReportAsync(Report(ReportKind.Spam, Message(3)), Token);
        await a.Service.ReportAsync(Report(ReportKind.Ham, Message(3)), Token);

        await b.Importer.ImportAsync(await a.Exporter.ExportAsync(0, 10, Token), Token);

        Assert.Equal(Gateway.V1.Action.Accept, (await ScanAsync(b, Message(3))).Verdict.Action);
        Assert.Equal(
            [FingerprintEventKind.Convicted, FingerprintEventKind.Reversed], b.Publisher.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Import_PeersReversal_CannotUndoThisSitesAdmin()
    {
        var a = SiteA();
        var b = SiteB(weightOfA: 1);
        await b.Service.ReportAsync(Report(ReportKind.Spam, Message(4)), Token);
        await a.Service.ReportAsync(Report(ReportKind.Ham, Message(4)), Token);

        await b.Importer.ImportAsync(await a.Exporter.ExportAsync(0, 10, Token), Token);

        Assert.Equal(Gateway.V1.Action.Reject, (await ScanAsync(b, Message(4))).Verdict.Action);
    }

    [Fact]
    public async Task Import_BatchFromAnUnknownSiteOrWithAForgedSignature_IsRefused()
    {
        var b = SiteB(weightOfA: 1);
        using var stranger = new FeedSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256), "site-c");
        using var impostor = new FeedSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256), "site-a");

        await Assert.ThrowsAsync<FeedVerificationException>(() =>
            b.Importer.ImportAsync(stranger.Sign(new FeedBatch()), Token));
        await Assert.ThrowsAsync<FeedVerificationException>(() =>
            b.Importer.ImportAsync(impostor.Sign(new FeedBatch()), Token));
    }

    [Fact]
    public async Task Import_MalformedEvents_AreSkippedAndTheWatermarkMovesOn()
    {
        var b = SiteB(weightOfA: 1);
        using var signer = new FeedSigner(_keyA, "site-a");
        var good = new FingerprintEvent
        {
            Kind = FingerprintEventKind.Convicted, Sequence = 3, Confidence = 1,
            Fingerprints = { "t1:" + new string('a', 32) },
        };
        var batch = new FeedBatch
        {
            ToWatermark = 3,
            Events =
            {
                new FingerprintEvent
                {
                    Kind = FingerprintEventKind.Convicted, Sequence = 1, Fingerprints = { "x9:zz" },
                },
                new FingerprintEvent
                {
                    Kind = FingerprintEventKind.Convicted, Sequence = 2, Fingerprints = { "t1:" + new string('b', 32) },
                    Groups = { new FingerprintGroup { Kind = "f1", Fingerprints = { "f1:00aa" }, MinMatches = 1 } },
                },
                good,
            },
        };

        var outcome = await b.Importer.ImportAsync(signer.Sign(batch), Token);

        Assert.Equal((1, 2, 3L), (outcome.Learned, outcome.Skipped, outcome.Watermark));
    }

    public void Dispose()
    {
        foreach (var site in _sites)
        {
            site.Dispose();
        }
    }
}
