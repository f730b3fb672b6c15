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
        Assert.Equal("Quarantine", options.QuarantineFolder);
        Assert.Equal(StoreAction.MoveToJunk, options.Maildir.Action);
        Assert.Equal(StoreAction.MoveToJunk, options.Imap.Action);
        Assert.False(options.DryRun);
        Assert.False(options.Imap.IsConfigured);
        Assert.False(options.Jmap.IsConfigured);
        Assert.False(options.Webhook.IsConfigured);
    }

    [Theory]
    [InlineData("Gateway:Remediation:Window", "00:00:00", "Window")]
    [InlineData("Gateway:Remediation:Window", "31.00:00:00", "Window")]
    [InlineData("Gateway:Remediation:JunkFolder", "../Junk", "JunkFolder")]
    [InlineData("Gateway:Remediation:JunkFolder", "", "JunkFolder")]
    [InlineData("Gateway:Remediation:MaildirRoot", "relative/mail", "MaildirRoot")]
    [InlineData("Gateway:Remediation:Maildir:MaxConcurrency", "0", "Maildir:MaxConcurrency")]
    [InlineData("Gateway:Remediation:Imap:MaxActionsPerSecond", "-1", "Imap:MaxActionsPerSecond")]
    [InlineData("Gateway:Remediation:QuarantineFolder", "Junk", "QuarantineFolder")]
    [InlineData("Gateway:Remediation:SafeSenders:0", "not an address", "SafeSenders")]
    [InlineData("Gateway:Remediation:ExemptRecipients:0", "@example.test", "ExemptRecipients")]
    [InlineData("Gateway:Remediation:Retry:InitialDelay", "00:00:00", "Retry:InitialDelay")]
    [InlineData("Gateway:Remediation:Retry:MaxDelay", "07:00:00", "Retry:MaxDelay")]
    [InlineData("Gateway:Remediation:Audit:MaxEntries", "5", "Audit:MaxEntries")]
    [InlineData("Gateway:Remediation:Jmap:SessionUrl", "http://mail.example.test/jmap", "Jmap:SessionUrl")]
    [InlineData("Gateway:Remediation:Webhook:Url", "ftp://127.0.0.1/hook", "Webhook:Url")]
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

    [Fact]
    public void Start_WebhookSecretTooShort_Fails()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "short\n");
            var settings = new Dictionary<string, string?>(Base)
            {
                ["Gateway:Remediation:Webhook:Url"] = "http://127.0.0.1:1/hook",
                ["Gateway:Remediation:Webhook:SecretFile"] = file,
            };

            var ex = Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));

            Assert.Contains(ex.Failures,
                f => f.Contains("Webhook:SecretFile must hold at least 16 bytes", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Start_JmapWithoutCredentials_Fails()
    {
        var settings = new Dictionary<string, string?>(Base)
        {
            ["Gateway:Remediation:Jmap:SessionUrl"] = "https://mail.example.test/.well-known/jmap",
        };

        var ex = Assert.Throws<OptionsValidationException>(() => RemediationHost.Build(settings, out _));

        Assert.Contains(ex.Failures, f => f.Contains("Jmap: set either LoginFormat", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_StorePolicies_AreBoundPerStore()
    {
        var settings = new Dictionary<string, string?>(Base)
        {
            ["Gateway:Remediation:Maildir:Action"] = "Flag",
            ["Gateway:Remediation:Imap:Action"] = "MoveToQuarantine",
            ["Gateway:Remediation:Imap:OnlyUnread"] = "true",
            ["Gateway:Remediation:Imap:MaxActionsPerSecond"] = "50",
            ["Gateway:Remediation:SafeSenders:0"] = "ceo@partner.test",
            ["Gateway:Remediation:SafeSenders:1"] = "*.bank.test",
        };

        using var provider = RemediationHost.Build(settings, out _);

        var options = provider.GetRequiredService<IOptions<RetroRemediationOptions>>().Value;
        Assert.Equal(StoreAction.Flag, options.Maildir.Action);
        Assert.Equal(StoreAction.MoveToQuarantine, options.Imap.Action);
        Assert.True(options.Imap.OnlyUnread);
        Assert.Equal(50, options.Imap.MaxActionsPerSecond);
        Assert.Equal(["ceo@partner.test", "*.bank.test"], options.SafeSenders);
    }

    private static Dictionary<string, string?> ImapSettings() => new(Base)
    {
        ["Gateway:Remediation:Imap:Host"] = "127.0.0.1",
        ["Gateway:Remediation:Imap:MasterUser"] = "gwmaster",
        ["Gateway:Remediation:Imap:MasterPassword"] = "pw",
    };
}
