using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Configuration;

public sealed class RetroRemediationOptionsValidatorTests
{
    private static readonly Dictionary<string, string?> Base = new()
    {
        // Never connected to: these tests only build and validate options.
        ["Gateway:Redis:Configuration"] = "127.0.0.1:1",
    };

    [Fact]
    public void Start_Defaults_AreValidWithoutImap()
    {
        using var provider = RemediationHost.Build(new Dictionary<string, string?>(Base), out _);

        var options = provider.GetRequiredService<IOptions<RetroRemediationOptions>>().Value;
        Assert.Equal(TimeSpan.FromHours(6), options.Window);
        Assert.Equal("Junk", options.JunkFolder);
        Assert.Equal("INBOX", options.InboxFolder);
        Assert.False(options.Imap.IsConfigured);
    }

    [Theory]
    [InlineData("Gateway:Remediation:Window", "00:00:00", "Window")]
    [InlineData("Gateway:Remediation:Window", "31.00:00:00", "Window")]
    [InlineData("Gateway:Remediation:JunkFolder", "../Junk", "JunkFolder")]
    [InlineData("Gateway:Remediation:JunkFolder", "", "JunkFolder")]
    [InlineData("Gateway:Remediation:MaildirRoot", "relative/mail", "MaildirRoot")]
    [InlineData("Gateway:Remediation:MaxParallelActions", "0", "MaxParallelActions")]
    [InlineData("Gateway:Remediation:MaxCopiesPerEvent", "0", "MaxCopiesPerEvent")]
    public void Start_BadSetting_FailsNamingIt(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>(Base) { [key] = value };

        var ex = Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));

        Assert.Contains(ex.Failures, f => f.Contains("Gateway:Remediation:" + named, StringComparison.Ordinal));
    }

    [Fact]
    public void Start_ImapHostWithoutMasterUserOrPassword_Fails()
    {
        var settings = new Dictionary<string, string?>(Base) { ["Gateway:Remediation:Imap:Host"] = "127.0.0.1" };

        var ex = Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));

        Assert.Contains(ex.Failures, f => f.Contains("Imap:MasterUser", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Imap:MasterPasswordFile", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_ImapPasswordInlineAndFile_Fails()
    {
        var settings = ImapSettings();
        settings["Gateway:Remediation:Imap:MasterPasswordFile"] = "/nonexistent";

        var ex = Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));

        Assert.Contains(ex.Failures, f => f.Contains("not both", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_ImapPasswordFileMissing_FailsWithoutShowingAPassword()
    {
        var settings = ImapSettings();
        settings.Remove("Gateway:Remediation:Imap:MasterPassword");
        settings["Gateway:Remediation:Imap:MasterPasswordFile"] = "/nonexistent/gw-master-password";

        var ex = Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));

        Assert.Contains(ex.Failures, f => f.Contains("MasterPasswordFile cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_ImapPasswordFile_IsReadAndTrimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret-from-file\n");
            var settings = ImapSettings();
            settings.Remove("Gateway:Remediation:Imap:MasterPassword");
            settings["Gateway:Remediation:Imap:MasterPasswordFile"] = file;

            using var provider = RemediationHost.Build(settings, out var logs);

            var imap = provider.GetRequiredService<IOptions<RetroRemediationOptions>>().Value.Imap;
            Assert.Equal("s3cret-from-file", imap.ResolvedMasterPassword);
            Assert.DoesNotContain(logs.Events, e => e.Message.Contains("s3cret", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Gateway:Remediation:Imap:LoginFormat", "{user}")]
    [InlineData("Gateway:Remediation:Imap:Port", "0")]
    [InlineData("Gateway:Remediation:Imap:Timeout", "00:00:00")]
    public void Start_BadImapSetting_Fails(string key, string value)
    {
        var settings = ImapSettings();
        settings[key] = value;

        Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));
    }

    private static Dictionary<string, string?> ImapSettings() => new(Base)
    {
        ["Gateway:Remediation:Imap:Host"] = "127.0.0.1",
        ["Gateway:Remediation:Imap:MasterUser"] = "gwmaster",
        ["Gateway:Remediation:Imap:MasterPassword"] = "pw",
    };
}
