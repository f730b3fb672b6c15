using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.RetroRemediation.Stores.Jmap;

/// <summary>The properties of an Email object (RFC 8621 section 4.1) remediation looks at.</summary>
internal sealed record JmapEmail(
    string Id, HashSet<string> MailboxIds, HashSet<string> Keywords, long Size, DateTimeOffset? ReceivedAt,
    HashSet<string> MessageIds)
{
    /// <summary>Null when the object lacks an id; absent or ill-typed properties read as empty.</summary>
    public static JmapEmail? From(JsonObject email)
    {
        var id = JmapJson.String(email["id"]);
        if (id is null)
        {
            return null;
        }

        // mailboxIds and keywords are maps to true (RFC 8621 sections 4.1.1 and 4.1.1's keyword rules).
        static HashSet<string> Keys(JsonNode? node, StringComparer comparer) =>
            node is JsonObject map ? map.Where(e => JmapJson.True(e.Value)).Select(e => e.Key).ToHashSet(comparer) : [];

        var messageIds = email["messageId"] is JsonArray ids
            ? ids.Select(JmapJson.String).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        DateTimeOffset? receivedAt = DateTimeOffset.TryParse(
            JmapJson.String(email["receivedAt"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
            out var parsed) ? parsed : null;
        return new JmapEmail(
            id,
            Keys(email["mailboxIds"], StringComparer.Ordinal),
            Keys(email["keywords"], StringComparer.OrdinalIgnoreCase),
            JmapJson.Number(email["size"]) ?? 0,
            receivedAt,
            messageIds);
    }
}
