namespace Gateway.Standalone.Tests;

/// <summary>One whole SMTP transaction over <see cref="RawSmtpClient"/>, returning every reply.</summary>
public static class SmtpSend
{
    public sealed record Transcript(SmtpReply Mail, IReadOnlyList<SmtpReply> Rcpts, SmtpReply? Data, SmtpReply? Final);

    public static async Task<Transcript> SendAsync(int port, string from, IEnumerable<string> recipients, string message)
    {
        var (client, greeting) = await RawSmtpClient.ConnectAsync(port);
        await using var _ = client;
        Assert.Equal(220, greeting.Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        var mail = await client.CommandAsync($"MAIL FROM:<{from}>");
        var rcpts = new List<SmtpReply>();
        foreach (var rcpt in recipients)
        {
            rcpts.Add(await client.CommandAsync($"RCPT TO:<{rcpt}>"));
        }

        var data = await client.CommandAsync("DATA");
        SmtpReply? final = null;
        if (data.Code == 354)
        {
            final = await client.SendDataAsync(message);
        }

        await client.CommandAsync("QUIT");
        return new Transcript(mail, rcpts, data, final);
    }
}
