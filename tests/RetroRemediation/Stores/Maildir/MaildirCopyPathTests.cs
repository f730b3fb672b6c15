using Gateway.RetroRemediation.Stores.Maildir;
using Gateway.V1;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Stores.Maildir;

public sealed class MaildirCopyPathTests
{
    [Fact]
    public void TryResolve_EdgeLayout_FindsMaildirAndBaseName()
    {
        var record = Record("ann+news@Example.test", "/data/mail/example.test/ann/new/1733.M1P2.host");

        Assert.True(MaildirCopyPath.TryResolve(record, "/data/mail", out var path, out _));

        Assert.Equal("/data/mail", path.Root);
        Assert.Equal("/data/mail/example.test/ann", path.Maildir);
        Assert.Equal("1733.M1P2.host", path.BaseName);
    }

    [Fact]
    public void TryResolve_FileInCurWithInfo_UsesThePartBeforeTheInfo()
    {
        var record = Record("ann@example.test", "/m/example.test/ann/cur/1733.M1P2.host:2,S");

        Assert.True(MaildirCopyPath.TryResolve(record, "", out var path, out _));

        Assert.Equal("1733.M1P2.host", path.BaseName);
        Assert.True(path.Matches("1733.M1P2.host:2,RS"));
        Assert.True(path.Matches("1733.M1P2.host,S=123:2,"));
        Assert.True(path.Matches("1733.M1P2.host"));
        Assert.False(path.Matches("1733.M1P2.hostile"));
        Assert.False(path.Matches("1733.M1P2.hos"));
    }

    [Theory]
    [InlineData("ann@example.test", "")]
    [InlineData("ann@example.test", "example.test/ann/new/x")]
    [InlineData("ann@example.test", "/m/example.test/ann/new/../../../../etc/passwd")]
    [InlineData("ann@example.test", "/m/example.test/ann/./new/x")]
    [InlineData("ann@example.test", "/m/example.test//ann/new/x")]
    [InlineData("ann@example.test", "/m/example.test/bob/new/x")]
    [InlineData("ann@example.test", "/m/other.test/ann/new/x")]
    [InlineData("ann@example.test", "/m/example.test/ann/tmp/x")]
    [InlineData("ann@example.test", "/m/example.test/ann/.Junk/new/x")]
    [InlineData("ann@example.test", "/m/example.test/ann/new/")]
    [InlineData("ann@example.test", "/m/example.test/ann/new/.hidden")]
    [InlineData("ann@example.test", "/m/example.test/ann/new/x*")]
    [InlineData("ann@example.test", "/example.test/ann/new")]
    [InlineData("..@example.test", "/m/example.test/../new/x")]
    [InlineData("not-an-address", "/m/example.test/ann/new/x")]
    public void TryResolve_HostileOrForeignLocation_IsRefused(string recipient, string location)
    {
        var refused = !MaildirCopyPath.TryResolve(Record(recipient, location), "", out _, out var reason);

        Assert.True(refused);
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void TryResolve_OutsideConfiguredRoot_IsRefused()
    {
        var record = Record("ann@example.test", "/elsewhere/example.test/ann/new/x");

        Assert.False(MaildirCopyPath.TryResolve(record, "/data/mail/", out _, out var reason));

        Assert.Contains("root", reason, StringComparison.Ordinal);
    }

    private static DeliveryRecord Record(string recipient, string location) => new()
    {
        QueueId = "q1",
        Recipient = recipient,
        Store = MailboxStoreKind.Maildir,
        Location = location,
    };
}
