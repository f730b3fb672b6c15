using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class DeliveryTargetAddressTests
{
    [Theory]
    [InlineData("", DeliveryTargetKind.Maildir, "maildir:/data/mail")]
    [InlineData("  ", DeliveryTargetKind.Maildir, "maildir:/data/mail")]
    [InlineData("maildir:/var/vmail", DeliveryTargetKind.Maildir, "maildir:/var/vmail")]
    [InlineData("MAILDIR:/var/vmail/", DeliveryTargetKind.Maildir, "maildir:/var/vmail/")]
    [InlineData("lmtp://127.0.0.1:24", DeliveryTargetKind.Lmtp, "lmtp://127.0.0.1:24")]
    [InlineData("lmtp://dovecot", DeliveryTargetKind.Lmtp, "lmtp://dovecot:24")]
    [InlineData("lmtp://[::1]:2424/", DeliveryTargetKind.Lmtp, "lmtp://[::1]:2424")]
    [InlineData("smtp://mail.example.test:2525", DeliveryTargetKind.Smtp, "smtp://mail.example.test:2525")]
    [InlineData("smtp://10.0.0.5", DeliveryTargetKind.Smtp, "smtp://10.0.0.5:25")]
    public void TryParse_ValidTarget_IsUnderstood(string target, DeliveryTargetKind kind, string normalized)
    {
        Assert.True(DeliveryTargetAddress.TryParse(target, "/data", out var address, out var error), error);

        Assert.Equal(kind, address.Kind);
        Assert.Equal(normalized, address.ToString());
    }

    [Theory]
    [InlineData("maildir:")]
    [InlineData("/var/mail")]
    [InlineData("imap://host:143")]
    [InlineData("lmtp://")]
    [InlineData("lmtp://host:0")]
    [InlineData("lmtp://host:70000")]
    [InlineData("lmtp://host:24x")]
    [InlineData("smtp://user@host:25")]
    [InlineData("smtp://host:25/path")]
    [InlineData("smtp://host:25?q=1")]
    [InlineData("smtp://bad host:25")]
    [InlineData("lmtp://[::1")]
    [InlineData("lmtp://[not-ip]:24")]
    [InlineData("lmtp://::1:24")]
    public void TryParse_InvalidTarget_SaysWhy(string target)
    {
        Assert.False(DeliveryTargetAddress.TryParse(target, "/data", out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Validator_InvalidTargetAndDurations_NamesEverySetting()
    {
        var validator = new DeliveryOptionsValidator(Options.Create(new GatewayOptions { DataDir = "/data" }));
        var options = new DeliveryOptions
        {
            Target = "ftp://x",
            Concurrency = 0,
            RetryInitialDelay = TimeSpan.FromHours(2),
            RetryMaxDelay = TimeSpan.FromHours(1),
            CommandTimeout = TimeSpan.Zero,
        };

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Delivery:Target 'ftp://x' is invalid", result.FailureMessage);
        Assert.Contains("Gateway:Delivery:Concurrency", result.FailureMessage);
        Assert.Contains("Gateway:Delivery:RetryMaxDelay", result.FailureMessage);
        Assert.Contains("Gateway:Delivery:CommandTimeout", result.FailureMessage);
    }

    [Fact]
    public void Validator_Defaults_AreValid()
    {
        var validator = new DeliveryOptionsValidator(Options.Create(new GatewayOptions { DataDir = "/data" }));

        Assert.True(validator.Validate(null, new DeliveryOptions()).Succeeded);
    }
}
