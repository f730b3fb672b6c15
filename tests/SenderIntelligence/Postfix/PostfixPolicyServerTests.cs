using System.Net;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Postfix;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.V1;
using Microsoft.Extensions.Options;
using Xunit;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests.Postfix;

/// <summary>The policy delegation listener over a raw socket: the protocol, its bounds, and the answers.</summary>
public sealed class PostfixPolicyServerTests : IAsyncLifetime
{
    private readonly SenderHarness _harness;
    private readonly RecordingLogger<PostfixPolicyServer> _log = new();
    private readonly PostfixPolicyServer _server;

    public PostfixPolicyServerTests()
    {
        var options = new SenderIntelligenceOptions
        {
            BlockList = ["192.0.2.66"],
            PostfixPolicy = new PostfixPolicyOptions { Enabled = true, Listen = "127.0.0.1:0" },
        };
        _harness = new SenderHarness(options, new StubStore());
        _server = new PostfixPolicyServer(
            new PostfixPolicyHandler(_harness.Service, new PostfixSessions(TimeProvider.System)),
            Options.Create(options),
            _harness.Metrics,
            _log);
    }

    public Task InitializeAsync() => _server.StartAsync(default);

    public async Task DisposeAsync()
    {
        await _server.StopAsync(default);
        _server.Dispose();
    }

    [Fact]
    public async Task Ask_BlockListedClientAtRcpt_AnswersTheRefusalAsTheReply()
    {
        using var client = await PolicyClient.ConnectAsync(await _server.BoundEndpoint);

        var answer = await client.AskAsync(PolicyClient.Request("RCPT", "192.0.2.66"));

        Assert.Equal("action=554 5.7.1 Access denied: 192.0.2.66 is blocked by local policy", answer);
        Assert.Equal(1, _harness.Metrics.PostfixRequestCount("RCPT", "reject"));
    }

    [Fact]
    public async Task Ask_SeveralRequestsOnOneConnection_EachAnswered()
    {
        using var client = await PolicyClient.ConnectAsync(await _server.BoundEndpoint);

        var connect = await client.AskAsync(PolicyClient.Request("CONNECT", "203.0.113.5"));
        var mail = await client.AskAsync(PolicyClient.Request("MAIL", "203.0.113.5"));
        var rcpt = await client.AskAsync(PolicyClient.Request("RCPT", "203.0.113.5"));
        var data = await client.AskAsync(PolicyClient.Request("END-OF-MESSAGE", "203.0.113.5"));
        var other = await client.AskAsync(new Dictionary<string, string> { ["request"] = "something_else" });

        Assert.Equal(Enumerable.Repeat("action=DUNNO", 5), new[] { connect, mail, rcpt, data, other });
        // One connect check for the session, no lease (Postfix never says when a session ends).
        var operations = ((StubStore)_harness.Store).Operations.ToList();
        Assert.Equal(["standing", "connect", "mail", "rcpt", "data"], operations.Where(o => o != "domain"));
        Assert.Equal(1, _harness.Metrics.DecisionCount("connect", Action.Accept, "within-limits"));
    }

    [Theory]
    [InlineData("no equals sign here\n\n")]
    [InlineData("Bad_Name=1\n\n")]
    public async Task Send_NotTheProtocol_ConnectionClosed(string text)
    {
        using var client = await PolicyClient.ConnectAsync(await _server.BoundEndpoint);

        await client.SendRawAsync(text);

        Assert.Null(await client.ReadAnswerOrCloseAsync());
        Assert.True(_log.Has("SenderPostfixPolicyBadRequest"));
    }

    [Fact]
    public async Task Send_LineLongerThanTheLimit_ConnectionClosed()
    {
        using var client = await PolicyClient.ConnectAsync(await _server.BoundEndpoint);

        await client.SendRawAsync("sender=" + new string('a', PostfixPolicyServer.MaxLineBytes + 10));

        Assert.Null(await client.ReadAnswerOrCloseAsync());
    }

    [Theory]
    [InlineData(Action.Accept, 0, "", "", "DUNNO")]
    [InlineData(Action.Tempfail, 451, "4.7.1", "Slow down", "451 4.7.1 Slow down")]
    [InlineData(Action.Reject, 0, "", "", "550 Refused by sender policy")]
    [InlineData(Action.Tempfail, 421, "4.7.0", "Bye\r\nnow", "421 4.7.0 Bye  now")]
    public void ToAction_Verdict_PostfixAction(Action action, int code, string enhanced, string text, string expected)
    {
        var verdict = new Verdict { Action = action, SmtpCode = code, EnhancedCode = enhanced, Text = text };

        Assert.Equal(expected, PostfixPolicyHandler.ToAction(verdict));
    }
}
