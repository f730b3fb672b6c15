using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// A script run by its SHA1 (EVALSHA), so neither side hashes or parses the text on every call; when the server
/// does not know it (first use, or after a restart emptied its script cache) the text is sent once with EVAL.
/// </summary>
internal sealed class StoreScript
{
    private readonly string _text;
    private readonly byte[] _hash;

    public StoreScript(string text)
    {
        _text = text;
        _hash = SHA1.HashData(Encoding.UTF8.GetBytes(text));
    }

    public async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_hash, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.Contains("NOSCRIPT", StringComparison.OrdinalIgnoreCase))
        {
            return await database.ScriptEvaluateAsync(_text, keys, values).ConfigureAwait(false);
        }
    }
}
