using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// MAIL FROM and its parameters (RFC 5321 4.1.2, RFC 1870, RFC 6152, RFC 6531): malformed input is a
/// syntax error and the session goes on; quotes never confuse the parser.
/// </summary>
public sealed class MailParameterTests
{
    [Theory]
    [InlineData("MAIL FROM:<a@sender.test> AUTH=\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> AUTH=\"<>\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=\"100\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> BODY=\"8BITMIME\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> BODY=8BITMIME\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> X-A=\"b c\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> \"SMTPUTF8\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SMTPUTF8=\"\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<\"a@sender.test>", "501 5.1.7")]
    [InlineData("MAIL FROM:<\"a\"b\"@sender.test>", "501 5.1.7")]
    [InlineData("MAIL FROM:<\"a\\\"@sender.test>", "501 5.1.7")]
    [InlineData("MAIL FROM:\"<a@sender.test>\"", "501 5.1.7")]
    [InlineData("MAIL FROM:<a@sender.test>\"", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test", "501 5.1.7")]
    [InlineData("MAIL FROM:a@sender.test", "501 5.1.7")]
    [InlineData("MAIL FROM <a@sender.test>", "501 5.5.4")]
    [InlineData("MAIL TO:<a@sender.test>", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@@sender.test>", "501 5.1.7")]
    [InlineData("MAIL FROM:<a..b@sender.test>", "501 5.1.7")]
    [InlineData("MAIL FROM:<a@-sender.test>", "501 5.1.7")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=abc", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=99999999999999999999999", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> BODY=BINARYMIME", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=1 SIZE=2", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> =x", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> AUTH=<>", "555 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> MT-PRIORITY=3", "555 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> RET=ALL", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> RET", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> ENVID=a+2", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> ENVID=a+0D+0Ab", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=26214401", "552 5.3.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=18446744073709551615", "552 5.3.4")]
    [InlineData("MAIL FROM:<jö@sender.test>", "553 5.6.7")]
    [InlineData("MAIL FROM:<a@bücher.test>", "553 5.6.7")]
    public async Task Mail_BadOrRefusedParameters_ErrorAndSessionGoesOn(string command, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal(expected, (await client.CommandAsync(command)).Status);

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData("MAIL FROM:<>", "")]
    [InlineData("MAIL FROM: <a@sender.test>", "a@sender.test")]
    [InlineData("mail from:<a@Sender.Test.>", "a@sender.test")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=26214400", "a@sender.test")]
    [InlineData("MAIL FROM:<a@sender.test> BODY=8bitmime", "a@sender.test")]
    [InlineData("MAIL FROM:<a@sender.test> BODY=7BIT SIZE=10", "a@sender.test")]
    [InlineData("MAIL FROM:<\"john doe\"@sender.test>", "\"john doe\"@sender.test")]
    [InlineData("MAIL FROM:<\"john.doe\"@sender.test>", "john.doe@sender.test")]
    [InlineData("MAIL FROM:<\"a\\\"b\"@sender.test>", "\"a\\\"b\"@sender.test")]
    [InlineData("MAIL FROM:<@relay.test,@other.test:a@sender.test>", "a@sender.test")]
    [InlineData("MAIL FROM:<a@[192.0.2.1]>", "a@[192.0.2.1]")]
    [InlineData("MAIL FROM:<a@[IPv6:2001:db8::1]>", "a@[IPv6:2001:db8::1]")]
    [InlineData("MAIL FROM:<jö@bücher.test> SMTPUTF8", "jö@bücher.test")]
    [InlineData("MAIL FROM:<a@sender.test>   ", "a@sender.test")]
    public async Task Mail_ValidSender_AcceptedAndStoredNormalised(string command, string stored)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync(command)).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();

        Assert.Equal(stored, server.Spool.Single().Envelope.MailFrom);
    }

    [Fact]
    public async Task Mail_Parameters_RecordedInTheEnvelope()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var mail = await client.CommandAsync("MAIL FROM:<a@sender.test> BODY=8BITMIME SMTPUTF8");
        Assert.Equal("250 2.1.0", mail.Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<ü@example.test>")).Status);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: Grüße\r\n\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();

        var stored = server.Spool.Single();
        Assert.True(stored.Envelope.SmtpUtf8);
        Assert.Equal("8BITMIME", stored.Envelope.Body);
        Assert.Equal("ü@example.test", Assert.Single(stored.Envelope.Recipients).Address);
        Assert.Contains("with UTF8SMTP id", stored.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rcpt_Utf8WithoutSmtpUtf8_Refused()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("553 5.6.7", (await client.CommandAsync("RCPT TO:<ü@example.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Mail_ParametersAfterHelo_NotSupported()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("HELO client.test")).Code);

        Assert.Equal("555 5.5.4", (await client.CommandAsync("MAIL FROM:<a@sender.test> BODY=8BITMIME")).Status);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData("RCPT TO:<user@example.test> XFOO=1", "555 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> NOTIFY=NEVER,FAILURE", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> NOTIFY=FAILURE,FAILURE", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> NOTIFY=SOMETIMES", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> NOTIFY", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> ORCPT=user@example.test", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> ORCPT=rfc822;", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> ORCPT=rfc822;a+0Ab", "501 5.5.4")]
    [InlineData("RCPT TO:<user@example.test> X=\"", "501 5.5.4")]
    [InlineData("RCPT TO:<>", "501 5.1.3")]
    [InlineData("RCPT TO:<\"user@example.test>", "501 5.1.3")]
    [InlineData("RCPT TO:user@example.test", "501 5.1.3")]
    [InlineData("RCPT FROM:<user@example.test>", "501 5.5.4")]
    public async Task Rcpt_BadSyntax_Error(string command, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);

        Assert.Equal(expected, (await client.CommandAsync(command)).Status);

        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Dsn_Parameters_KeptWithTheMessage()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync(
            "MAIL FROM:<a@sender.test> RET=HDRS ENVID=QQ+2B314")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync(
            "RCPT TO:<user@example.test> NOTIFY=delay,SUCCESS ORCPT=rfc822;Old+2BBox@example.test")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<other@example.test> NOTIFY=NEVER")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<third@example.test>")).Status);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("Subject: dsn\r\n\r\nbody\r\n.")).Status);

        var stored = server.Spool.Single().Envelope;
        Assert.Equal("HDRS", stored.DsnReturn);
        Assert.Equal("QQ+314", stored.DsnEnvelopeId);
        Assert.Equal("SUCCESS,DELAY", stored.Recipients[0].DsnNotify);
        Assert.Equal("rfc822;Old+Box@example.test", stored.Recipients[0].DsnOriginalRecipient);
        Assert.Equal("NEVER", stored.Recipients[1].DsnNotify);
        Assert.Equal("", stored.Recipients[2].DsnNotify);
        Assert.Equal("", stored.Recipients[2].DsnOriginalRecipient);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Rcpt_DsnParametersAfterHelo_NotSupported()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("HELO client.test")).Code);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);

        Assert.Equal("555 5.5.4", (await client.CommandAsync("RCPT TO:<user@example.test> NOTIFY=NEVER")).Status);
        await client.QuitAsync();
    }
}
