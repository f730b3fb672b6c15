using System.Text;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>Builds raw test messages. Written with LF; <see cref="Crlf"/> converts for SMTP-shaped input.</summary>
public static class TestMessages
{
    public const string CampaignText =
        "Dear friend, our pharmacy ships discreetly to your door. Order today and save on every refill you need.";

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
