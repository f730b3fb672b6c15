namespace Gateway.Ctl.Tests;

/// <summary>Messages and canned API answers the tests use.</summary>
public static class SampleMessages
{
    public const string Message =
        "From: Mallory <mallory@spam.test>\nTo: alice@example.test\nSubject: cheap\n"
        + "Message-ID: <m1@spam.test>\n\nBuy now.\n";

    public const string MboxLine = "From mallory@spam.test Thu Dec  4 10:00:00 2025\n";

    public const string SpamLearned = """
        {"fingerprints":["x1:aa11","x2:bb22"],"changed":true,
         "remediation":{"copiesFound":4,"copiesActed":3,"copiesFailed":1},"futureField":"ignored"}
        """;
}
