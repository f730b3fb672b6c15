using Xunit.Abstractions;

namespace Gateway.Standalone.Tests;

/// <summary>
/// A spam trap through the real tiers: mail to the trap is accepted, learned and never delivered; a
/// copy sent to a real user afterwards is refused at the end of DATA.
/// </summary>
public sealed class SpamTrapEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TrapHit_LearnsCampaign_LaterCopiesToUsersRefused()
    {
        var gateway = await GatewayInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Fingerprint:Intake:TrapAddresses:0"] = "trap@example.test",
        });
        try
        {
            var maildir = new MaildirProbe(gateway.MaildirRoot);

            var hit = await SmtpSend.SendAsync(gateway.SmtpPort, "offers@promo.invalid", ["trap@example.test"],
                TestMessages.Campaign("c-trap", "trap@example.test", "You won"));
            output.WriteLine(hit.Final?.ToString());
            Assert.Equal(250, hit.Rcpts.Single().Code);
            Assert.Equal(250, hit.Final!.Code);
            Assert.Equal("2.0.0", hit.Final.Enhanced);

            var copy = await SmtpSend.SendAsync(gateway.SmtpPort, "offers@promo.invalid", ["dave@example.test"],
                TestMessages.Campaign("c-trap", "dave@example.test", "You really won", "<copy@promo.invalid>"));
            Assert.Equal(550, copy.Final!.Code);
            Assert.Equal("5.7.1", copy.Final.Enhanced);

            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Empty(maildir.Inbox("trap"));
            Assert.Empty(maildir.Inbox("dave"));
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }
}
