namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// What a load run left in Dovecot, by the X-Test-Id of each copy: acknowledged copies missing or doubled, and
/// copies of messages that were never acknowledged.
/// </summary>
public sealed record DeliveryAudit(
    int ExpectedCopies,
    int DeliveredOnce,
    IReadOnlyList<(string User, string Tag)> Missing,
    IReadOnlyList<(string User, string Tag)> Doubled,
    IReadOnlyList<(string User, string Tag)> Unexpected,
    int DeferredDelivered,
    int UnansweredDelivered)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public string Summary => $"{ExpectedCopies} acknowledged copies: {DeliveredOnce} delivered once, "
        + $"{Doubled.Count} more than once, {Missing.Count} lost; {Unexpected.Count} copies of messages never "
        + $"acknowledged or left unanswered; {DeferredDelivered} deferred and {UnansweredDelivered} unanswered "
        + "messages delivered";

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) until every acknowledged copy is in the store, lets late
    /// duplicates arrive for <paramref name="settle"/>, then counts. A deferred message counts as unexpected
    /// when delivered unless <paramref name="deferredMayArrive"/> (a 4xx after a queue write whose outcome
    /// was unknown: the record may have been written after all).
    /// </summary>
    public static async Task<DeliveryAudit> RunAsync(SmtpLoad load, string[] users, TimeSpan timeout,
        TimeSpan settle, bool deferredMayArrive = false)
    {
        var expected = load.Accepted.Values.SelectMany(m => m.Recipients.Select(u => (User: u, m.Tag))).ToList();
        var deadline = DateTime.UtcNow + timeout;
        var counts = Mailboxes.CountByHeader(users, "X-Test-Id");
        while (DateTime.UtcNow < deadline && expected.Any(e => counts.GetValueOrDefault(e) == 0))
        {
            await Task.Delay(Poll);
            counts = Mailboxes.CountByHeader(users, "X-Test-Id");
        }

        await Task.Delay(settle);
        counts = await Mailboxes.StableCountsByHeaderAsync(users, "X-Test-Id");
        var delivered = counts.Keys.Select(k => k.Value).ToHashSet(StringComparer.Ordinal);
        return new DeliveryAudit(
            expected.Count,
            expected.Count(e => counts.GetValueOrDefault(e) == 1),
            expected.Where(e => counts.GetValueOrDefault(e) == 0).ToList(),
            counts.Where(c => c.Value > 1).Select(c => c.Key).ToList(),
            counts.Keys.Where(k => !load.Accepted.ContainsKey(k.Value) && !load.Unanswered.ContainsKey(k.Value)
                && !(deferredMayArrive && load.Deferred.ContainsKey(k.Value))).ToList(),
            load.Deferred.Keys.Count(delivered.Contains),
            load.Unanswered.Keys.Count(delivered.Contains));
    }

    /// <summary>Fails with examples when an acknowledged copy is lost or any copy is doubled or unexpected.</summary>
    public void AssertExactlyOnce()
    {
        Assert.True(Missing.Count == 0, $"{Missing.Count} acknowledged copies never delivered, e.g. "
            + string.Join(", ", Missing.Take(5)));
        Assert.True(Doubled.Count == 0, $"{Doubled.Count} copies delivered more than once, e.g. "
            + string.Join(", ", Doubled.Take(5)));
        Assert.True(Unexpected.Count == 0, $"{Unexpected.Count} copies of messages never acknowledged, e.g. "
            + string.Join(", ", Unexpected.Take(5)));
    }
}
