using System.Collections.Concurrent;
using Gateway.RetroRemediation.Reputation;
using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gateway.RetroRemediation.Tests;

/// <summary>
/// A conviction after delivery is charged to the client that sent the mail: once per message, never for copies
/// that are exempt, and not again when another report convicts the same message.
/// </summary>
public sealed class ConvictionFeedbackTests : IDisposable
{
    private readonly TestMaildirTree _tree = new();
    private readonly RecordingFeedback _feedback = new();

    public void Dispose() => _tree.Dispose();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_MessageWithTwoCopies_ChargedOnceToItsClient()
    {
        await using var host = await StartHost();
        var ann = Copy("ann@example.test", "q-one", "198.51.100.7", "Spammer@Bulk.Example", "t1:aa");
        var bob = Copy("bob@example.test", "q-one", "198.51.100.7", "Spammer@Bulk.Example", "t1:aa");
        var other = Copy("cy@example.test", "q-two", "203.0.113.9", "", "t1:aa");
        foreach (var record in new[] { ann, bob, other })
        {
            await host.RecordAsync(record);
        }

        var conviction = Events.Convicted("t1:aa");
        var summary = await host.HandleAsync(conviction);

        Assert.Equal(3, summary.CopiesActed);
        var charged = _feedback.Messages.OrderBy(m => m.QueueId).ToList();
        Assert.Equal(2, charged.Count);
        Assert.Equal(("q-one", "198.51.100.7", "bulk.example", 2), (charged[0].QueueId, charged[0].ClientIp,
            charged[0].SenderDomain, charged[0].Copies));
        Assert.Equal(("q-two", "203.0.113.9", "", 1), (charged[1].QueueId, charged[1].ClientIp,
            charged[1].SenderDomain, charged[1].Copies));
        Assert.Equal(conviction.EventId + ":q-one", charged[0].OutcomeId);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_AgainAfterReversal_MessageNotChargedTwice()
    {
        await using var host = await StartHost();
        await host.RecordAsync(Copy("ann@example.test", "q-again", "198.51.100.8", "a@b.example", "t1:bb"));

        await host.HandleAsync(Events.Convicted("t1:bb"));
        await host.HandleAsync(Events.Reversed("t1:bb"));
        await host.HandleAsync(Events.Convicted("t1:bb"));

        Assert.Single(_feedback.Messages);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_AllowListedClientOrSafeSender_NotCharged()
    {
        await using var host = await StartHost(new Dictionary<string, string?>
        {
            ["Gateway:Remediation:SafeSenders:0"] = "partner.example",
        });
        var allowListed = Copy("ann@example.test", "q-allow", "192.0.2.1", "x@y.example", "t1:cc");
        allowListed.ClientAllowListed = true;
        await host.RecordAsync(allowListed);
        await host.RecordAsync(Copy("bob@example.test", "q-safe", "192.0.2.2", "news@partner.example", "t1:cc"));
        await host.RecordAsync(Copy("cy@example.test", "q-noip", "", "x@y.example", "t1:cc"));

        await host.HandleAsync(Events.Convicted("t1:cc"));

        Assert.Empty(_feedback.Messages);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_FeedbackSinkFails_CopiesStillMovedAndFailureLogged()
    {
        _feedback.Fail = true;
        await using var host = await StartHost();
        await host.RecordAsync(Copy("ann@example.test", "q-fail", "198.51.100.9", "a@b.example", "t1:dd"));

        var summary = await host.HandleAsync(Events.Convicted("t1:dd"));

        Assert.Equal(1, summary.CopiesActed);
        Assert.Single(host.Logs.Messages("SenderChargeFailed"));
    }

    private DeliveryRecord Copy(string recipient, string queueId, string clientIp, string sender, string fingerprint)
    {
        var record = _tree.Deliver(recipient, fingerprint);
        record.QueueId = queueId;
        record.ClientIp = clientIp;
        record.EnvelopeSender = sender;
        return record;
    }

    private Task<RemediationHost> StartHost(Dictionary<string, string?>? settings = null)
    {
        var values = settings ?? new Dictionary<string, string?>();
        values["Gateway:Remediation:MaildirRoot"] = _tree.Root;
        return RemediationHost.StartAsync(values,
            configure: services => services.AddSingleton<IConvictionFeedback>(_feedback));
    }

    private sealed class RecordingFeedback : IConvictionFeedback
    {
        public ConcurrentQueue<ConvictedMessage> Messages { get; } = new();

        public bool Fail { get; set; }

        public Task ReportAsync(ConvictedMessage message, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("test: sender intelligence unreachable");
            }

            Messages.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
