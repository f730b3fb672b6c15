using System.Text;
using Gateway.Ctl.Cli;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class DeliveriesCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Deliveries_TwoCopies_OneLineEach()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/deliveries", 200, """
            {"message":{"fingerprints":["x1:aa11","x2:bb22"],"messageId":"<m1@spam.test>"},
             "copies":[
               {"record":{"recipient":"alice@example.test","store":"MAILBOX_STORE_KIND_MAILDIR","folder":"INBOX",
                          "deliveredAt":"2025-12-04T10:00:00Z"},
                "state":"COPY_STATE_MOVED_TO_JUNK","lastAction":"moved to Junk","lastActionAt":"2025-12-04T10:05:30Z"},
               {"record":{"recipient":"bob@example.test","store":"MAILBOX_STORE_KIND_IMAP","folder":"INBOX",
                          "deliveredAt":"2025-12-04T10:00:01Z"},
                "state":"COPY_STATE_DELIVERED"}]}
            """);
        var file = _files.Write("m.mbox", SampleMessages.MboxLine + SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "deliveries", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(SampleMessages.Message, Encoding.UTF8.GetString(Assert.Single(api.Requests).Body));
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Message-ID: <m1@spam.test>", lines[0]);
        Assert.Equal("Fingerprints: x1:aa11, x2:bb22", lines[1]);
        Assert.Equal("2 delivered copies:", lines[2]);
        Assert.Matches(
            @"^alice@example\.test +maildir +INBOX +moved to Junk +last action: moved to Junk at 2025-12-04 10:05Z$",
            lines[3]);
        Assert.Matches(@"^bob@example\.test +imap +INBOX +delivered +delivered at 2025-12-04 10:00:01Z$", lines[4]);
    }

    [Fact]
    public async Task Deliveries_CopyIdAndNewStates_AreShown()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/deliveries", 200, """
            {"message":{"fingerprints":["t1:aa"],"messageId":"<m2@spam.test>"},
             "copies":[{"copyId":"t5h2k0-3fa","state":"COPY_STATE_QUARANTINED",
                        "record":{"recipient":"carol@example.test","store":"MAILBOX_STORE_KIND_JMAP","folder":"INBOX",
                                  "deliveredAt":"2025-12-04T10:00:00Z"}}]}
            """);
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "deliveries", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches(
            @"carol@example\.test +jmap +INBOX +quarantined +delivered at 2025-12-04 10:00:00Z \(copy t5h2k0-3fa\)",
            run.Out);
    }

    [Fact]
    public async Task Deliveries_NoCopies_SaysNoneRecorded()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/deliveries", 200, """{"message":{"fingerprints":["x1:aa11"]}}""");
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "deliveries", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Message-ID: (none)", run.Out);
        Assert.Contains("No delivered copies recorded.", run.Out);
    }

    [Fact]
    public async Task Deliveries_TwoFiles_IsAUsageError()
    {
        var run = await CliRun.RunAsync("deliveries", "a.eml", "b.eml");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("deliveries takes exactly one message file.", run.Error);
    }
}
