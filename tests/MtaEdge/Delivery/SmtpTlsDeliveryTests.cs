using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>STARTTLS on SMTP delivery, with the edge's own listener (and its certificate) as the next hop.</summary>
public sealed class SmtpTlsDeliveryTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _certificate;
    private readonly string _key;

    public SmtpTlsDeliveryTests()
    {
        _certificate = Path.Combine(_directory.Path, "cert.pem");
        _key = Path.Combine(_directory.Path, "key.pem");
        TestCertificate.Write(_certificate, _key);
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(SmtpTlsPolicy.May, true)]
    [InlineData(SmtpTlsPolicy.Encrypt, true)]
    [InlineData(SmtpTlsPolicy.None, false)]
    public async Task Delivery_NextHopOffersStartTls_UsedAsThePolicySays(SmtpTlsPolicy policy, bool tls)
    {
        await using var hop = await TestSmtpServer.StartAsync(o =>
        {
            o.TlsCertificateFile = _certificate;
            o.TlsKeyFile = _key;
        });
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{hop.EndPoint.Port}", o => o.SmtpTls = policy);
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Equal(tls, hop.Spool.Single().Envelope.ReceivedOverTls);
    }

    [Fact]
    public async Task Delivery_EncryptButNotOffered_DeferredAndNothingSent()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = new DeliveryHarness(
            $"smtp://127.0.0.1:{server.Port}", o => o.SmtpTls = SmtpTlsPolicy.Encrypt);
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => harness.WorkerLogger.Events.Any(e => e.EventName == "DeliveryRecipientDeferred")));
        Assert.Contains(harness.WorkerLogger.Events, e => e.Message.Contains("451 4.7.4"));
        Assert.Empty(server.Received);
        Assert.NotNull(harness.Spool.Find(queueId));
    }

    [Fact]
    public async Task Delivery_MayAndStartTlsRefused_PlaintextDelivery()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { Extensions = ["STARTTLS", "8BITMIME"] };
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}");
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(server.Received);
        Assert.Contains("STARTTLS", server.Commands);
    }
}
