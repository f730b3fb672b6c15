using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>
/// The node's in-memory copy of the fingerprint store (<c>Gateway:Fingerprint:HotCache</c>). Changes
/// arrive by Redis pub/sub at once and by polling the change log every <see cref="PollInterval"/>,
/// so a node is current within about one poll interval even if a notification is lost.
/// </summary>
public sealed class HotCacheOptions
{
    /// <summary>False scans straight against Redis (one round trip per message).</summary>
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Reload everything this often (drops entries deleted behind the log's back).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan FullReloadInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// When the copy has not synchronised for this long, scans go to Redis directly (and fail the
    /// way the store does when it is down), so an isolated node never scans against old data.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a reader waits for a change-log entry whose sequence number was taken but which is not
    /// written yet (a writer between its INCR and its ZADD) before skipping it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan GapGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Entries kept in the change log; a node further behind reloads everything.</summary>
    [Range(1000, 100_000_000)]
    public int MaxLogEntries { get; set; } = 1_000_000;
}
