using Gateway.Testing;

namespace Gateway.Standalone.Tests;

/// <summary>What got 250 survives a restart: the spool is recovered and delivered by the next process.</summary>
public sealed class SpoolRecoveryTests
{
    [Fact]
    public async Task AcceptedMessage_WhileTargetIsDown_IsDeliveredAfterRestart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gw-e2e-" + Guid.NewGuid().ToString("N"));
        var deadPort = FreePort.Next(); // nothing listens here: every delivery attempt fails and retries

        var first = await GatewayInstance.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Delivery:Target"] = $"lmtp://127.0.0.1:{deadPort}" }, dataDir);
        SmtpSend.Transcript sent;
        try
        {
            sent = await SmtpSend.SendAsync(first.SmtpPort, "a@sender.test", ["dora@example.test"],
                TestMessages.Ham("dora@example.test", "survives a restart"));
            Assert.Equal(250, sent.Final!.Code);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await GatewayInstance.StartAsync(dataDir: dataDir);
        try
        {
            var maildir = new MaildirProbe(second.MaildirRoot);
            Assert.True(await MaildirProbe.WaitAsync(() => maildir.Inbox("dora").Count == 1, TimeSpan.FromSeconds(30)),
                "the message accepted by the first process must be delivered by the second");
            Assert.Contains("survives a restart", await File.ReadAllTextAsync(maildir.Inbox("dora")[0]));
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteData();
        }
    }
}
