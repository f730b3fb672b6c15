namespace Gateway.EmbeddedStore.Recovery;

/// <summary>
/// A transaction that the append-only file opens but never ends: the process died while Garnet was logging it,
/// after its start marker and before its commit marker.
/// </summary>
/// <param name="SessionId">The Garnet session that ran it; replay groups a transaction's records by this id.</param>
/// <param name="Entries">Its records as Garnet wrote them, start marker first, with their log addresses.</param>
internal sealed record UnfinishedTransaction(int SessionId, List<(long Address, byte[] Entry)> Entries)
{
    public long StartAddress => Entries[0].Address;

    /// <summary>How many of its writes reached the file.</summary>
    public int Writes => Entries.Count - 1;
}
