using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// A steady SMTP load for failure tests: each sender keeps a session open and sends distinct tagged messages one
/// after the other, round-robin over the given edges. It records what became of each message: acknowledged
/// (250), deferred (4xx), refused (5xx), or unanswered (the session died before the reply). Bounded by a
/// message count, a run time and a stop token.
/// </summary>
public sealed class SmtpLoad
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    /// <summary>Between two messages of one sender: a steady load, not a flood that starves the services.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    private readonly string _run;
    private readonly IReadOnlyList<int> _ports;
    private readonly string[] _users;
    private readonly Stopwatch _clock;
    private int _next = -1;

    public SmtpLoad(string run, IReadOnlyList<int> smtpPorts, string[] users, Stopwatch clock)
    {
        _run = run;
        _ports = smtpPorts;
        _users = users;
        _clock = clock;
    }

    public ConcurrentDictionary<string, SentMessage> Accepted { get; } = new();

    public ConcurrentDictionary<string, string[]> Deferred { get; } = new();

    /// <summary>Tag to the 5xx reply: good mail must never get one.</summary>
    public ConcurrentDictionary<string, string> Refused { get; } = new();

    public ConcurrentDictionary<string, string[]> Unanswered { get; } = new();

    /// <summary>Replies by code, greetings and end of data alike; code 0 counts failed connection attempts.</summary>
    public ConcurrentDictionary<int, int> Replies { get; } = new();

    /// <summary>Replies other than 250 to DATA or to the greeting, in order, with the time they came at.</summary>
    public ConcurrentQueue<(long AtMs, int Code, string Text)> Rejections { get; } = new();

    public int Sent => Math.Max(0, Volatile.Read(ref _next) + 1);

    public string Summary => $"{Sent} messages: {Accepted.Count} acknowledged, {Deferred.Count} deferred (4xx), "
        + $"{Refused.Count} refused (5xx), {Unanswered.Count} unanswered; replies by code: "
        + string.Join(", ", Replies.OrderBy(r => r.Key).Select(r => $"{(r.Key == 0 ? "no connection" : r.Key)}"
            + $" x{r.Value}"));

    public Task RunAsync(int senders, int maxMessages, TimeSpan maxTime, CancellationToken stop)
    {
        var until = _clock.Elapsed + maxTime;
        return Task.WhenAll(Enumerable.Range(0, senders).Select(s => SendLoopAsync(s, maxMessages, until, stop)));
    }

    private async Task SendLoopAsync(int sender, int maxMessages, TimeSpan until, CancellationToken stop)
    {
        SmtpTestClient? smtp = null;
        var attempt = sender;
        try
        {
            while (!stop.IsCancellationRequested && _clock.Elapsed < until)
            {
                if (smtp is null)
                {
                    smtp = await OpenAsync(_ports[attempt++ % _ports.Count]);
                    if (smtp is null)
                    {
                        await Delay(Pause, stop);
                        continue;
                    }
                }

                var number = Interlocked.Increment(ref _next);
                if (number >= maxMessages)
                {
                    return;
                }

                var tag = $"{_run}-{number}";
                string[] recipients = number % 5 == 0
                    ? [_users[number % _users.Length], _users[(number + 1) % _users.Length]]
                    : [_users[number % _users.Length]];
                var content = TestMessages.Tagged(tag, recipients[0], number);
                SmtpReply reply;
                try
                {
                    reply = await smtp.SendAsync("load@sender.invalid", recipients, content).WaitAsync(ReplyTimeout);
                }
                catch (Exception ex) when (ex is IOException or SocketException or TimeoutException)
                {
                    Unanswered[tag] = recipients;
                    await smtp.DisposeAsync();
                    smtp = null;
                    continue;
                }

                Replies.AddOrUpdate(reply.Code, 1, (_, n) => n + 1);
                if (reply.Code == 250)
                {
                    var at = reply.Text.LastIndexOf("queued as ", StringComparison.Ordinal);
                    var queueId = at < 0 ? "" : reply.Text[(at + "queued as ".Length)..].Trim();
                    Accepted[tag] = new SentMessage(tag, recipients, content, queueId, _clock.ElapsedMilliseconds);
                    await Delay(Pace, stop);
                    continue;
                }

                Rejections.Enqueue((_clock.ElapsedMilliseconds, reply.Code, reply.Text));
                if (reply.Code / 100 == 4)
                {
                    Deferred[tag] = recipients;
                }
                else
                {
                    Refused[tag] = reply.Text;
                }

                // As a real client would: give up the session and come back a little later.
                await smtp.DisposeAsync();
                smtp = null;
                await Delay(Pause, stop);
            }
        }
        finally
        {
            if (smtp is not null)
            {
                await smtp.DisposeAsync();
            }
        }
    }

    /// <summary>A session past EHLO, or null (counted) when the edge is not there or does not greet with 220.</summary>
    private async Task<SmtpTestClient?> OpenAsync(int port)
    {
        SmtpTestClient? smtp = null;
        try
        {
            smtp = await SmtpTestClient.ConnectAsync(port, ReplyTimeout).WaitAsync(ReplyTimeout);
            var greeting = smtp.Greeting!;
            var ehlo = greeting.Code == 220
                ? await smtp.CommandAsync("EHLO load.test").WaitAsync(ReplyTimeout)
                : greeting;
            if (ehlo.Code == 250)
            {
                return smtp;
            }

            Replies.AddOrUpdate(ehlo.Code, 1, (_, n) => n + 1);
            Rejections.Enqueue((_clock.ElapsedMilliseconds, ehlo.Code, ehlo.Text));
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException)
        {
            Replies.AddOrUpdate(0, 1, (_, n) => n + 1);
        }

        if (smtp is not null)
        {
            await smtp.DisposeAsync();
        }

        return null;
    }

    private static async Task Delay(TimeSpan pause, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pause, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
