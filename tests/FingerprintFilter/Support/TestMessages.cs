using System.Text;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>Builds raw test messages. Written with LF; <see cref="Crlf"/> converts for SMTP-shaped input.</summary>
public static class TestMessages
{
    public const string CampaignText =
        "Dear friend, our pharmacy ships discreetly to your door. Order today and save on every refill you need.";

    /// <summary>
    /// A longer campaign body (about 90 words) in which <paramref name="variant"/> changes the product,
    /// the recipient's name and one sentence, as a campaign's copies differ; variants are near-duplicates.
    /// </summary>
    public static string CampaignBody(int variant) =>
        $"Hello {Names[variant % Names.Length]}, we are writing because our records show you asked about " +
        $"{Products[variant % Products.Length]} last month. Our licensed partners ship every order in plain " +
        "packaging within two business days, and you pay nothing until it arrives at your door. Thousands of " +
        "satisfied customers have already switched and saved more than half of what they used to spend at the " +
        "local store. " + Sentences[variant % Sentences.Length] + " To see the full catalogue and claim the " +
        "introductory discount, follow the link below and enter your personal code at checkout. This offer " +
        "expires at the end of the week and will not be repeated, so do not wait too long to decide. " +
        $"http://shop{variant}.pills-direct.example/offer?id={variant * 7919} Kind regards, the customer care team.";

    private static readonly string[] Names = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank"];

    private static readonly string[] Products = ["vitamins", "sleep aids", "diet tablets", "hair tonic"];

    private static readonly string[] Sentences =
    [
        "Our prices beat every online pharmacy we know of.",
        "No prescription is needed for most of our range.",
        "We also offer free samples with every second order.",
    ];

    /// <summary>
    /// A plausible-looking text of <paramref name="words"/> words drawn at random (seeded) from a list of
    /// common words: texts of different seeds share words but hardly any three-word run.
    /// </summary>
    public static string RandomText(int seed, int words = 80)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
    }

    private static readonly string[] Vocabulary =
    [
        "account", "after", "again", "agenda", "answer", "april", "budget", "build", "call", "change", "client",
        "code", "coffee", "common", "contract", "copy", "data", "date", "design", "draft", "early", "email",
        "event", "family", "figure", "final", "friday", "garden", "group", "holiday", "house", "idea", "issue",
        "later", "letter", "list", "lunch", "market", "meeting", "memo", "minutes", "monday", "month", "morning",
        "note", "number", "office", "order", "paper", "party", "people", "photo", "plan", "point", "price",
        "project", "question", "report", "review", "room", "school", "season", "send", "share", "short", "slide",
        "staff", "start", "status", "story", "summer", "table", "team", "thanks", "ticket", "today", "travel",
        "update", "version", "visit", "week", "window", "winter", "work", "world", "write", "year", "zone",
    ];

    public static byte[] Bytes(string message) => Encoding.UTF8.GetBytes(message);

    public static byte[] Latin1(string message) => Encoding.Latin1.GetBytes(message);

    public static byte[] Crlf(byte[] lf)
    {
        var output = new List<byte>(lf.Length + lf.Length / 20);
        for (var i = 0; i < lf.Length; i++)
        {
            if (lf[i] == (byte)'\n' && (i == 0 || lf[i - 1] != (byte)'\r'))
            {
                output.Add((byte)'\r');
            }

            output.Add(lf[i]);
        }

        return output.ToArray();
    }

    public static string Plain(string body, string subject = "Hello", string messageId = "<m1@example.test>") =>
        $"From: sender@example.test\nTo: rcpt@example.test\nSubject: {subject}\nMessage-ID: {messageId}\n" +
        $"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n";

    /// <summary>A multipart/mixed with a text part and a 7bit attachment, on boundary "b1".</summary>
    public static string WithAttachment(string text, string attachment, string subject = "Hello") =>
        $"From: sender@example.test\nTo: rcpt@example.test\nSubject: {subject}\nMessage-ID: <m2@example.test>\n" +
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n" +
        "This is a multi-part message in MIME format.\n" +
        "--b1\nContent-Type: text/plain; charset=us-ascii\n\n" + text + "\n" +
        "--b1\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"a.txt\"\n\n" +
        attachment + "\n--b1--\n";
}
