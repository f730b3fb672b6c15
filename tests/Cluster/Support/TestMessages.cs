namespace Gateway.Cluster.Tests.Support;

/// <summary>Generated test messages.</summary>
public static class TestMessages
{
    /// <summary>A campaign-like message; the same <paramref name="campaign"/> gives the same body text.</summary>
    public static string Campaign(string campaign, string to, string subject) =>
        "From: Deals <offers@promo.invalid>\r\n" +
        $"To: {to}\r\n" +
        $"Subject: {subject}\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "\r\n" +
        $"Dear friend, campaign {campaign} brings you the most amazing limited offer of the season.\r\n" +
        "Buy our miracle product today and save big on every order you place this week.\r\n" +
        ".a line that starts with a dot must survive dot-stuffing\r\n" +
        "Click the link below to claim your exclusive reward before it expires.\r\n";

    public static string Ham(string to, string subject) =>
        "From: Colleague <colleague@partner.invalid>\r\n" +
        $"To: {to}\r\n" +
        $"Subject: {subject}\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "\r\n" +
        "Hi, the minutes of yesterday's architecture meeting are attached to the wiki page.\r\n" +
        "Please review the action items about the queue design before Thursday. Thanks!\r\n";

    /// <summary>A distinct message for load tests, tagged so each copy can be found in the store.</summary>
    public static string Tagged(string tag, string to, int number) =>
        "From: Load <load@sender.invalid>\r\n" +
        $"To: {to}\r\n" +
        $"Subject: load message {number}\r\n" +
        $"X-Test-Id: {tag}\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "\r\n" +
        $"This is load message number {number} with tag {tag}, written to check exactly-once delivery.\r\n" +
        "It carries enough ordinary text for the fingerprint filter to compute a content digest.\r\n";
}
