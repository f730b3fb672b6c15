using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.SenderIntelligence.Tests.Postfix;

/// <summary>Speaks the policy delegation protocol as Postfix does, over a raw socket.</summary>
internal sealed class PolicyClient : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream? _stream;

    public static async Task<PolicyClient> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new PolicyClient();
        await client._client.ConnectAsync(endpoint).WaitAsync(TimeSpan.FromSeconds(10));
        client._stream = client._client.GetStream();
        return client;
    }

    public void Dispose() => _client.Dispose();

    public Task SendRawAsync(string text) =>
        _stream!.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>
    /// Sends one request (attributes, then the empty line) and returns the answer without its blank line.
    /// </summary>
    public async Task<string> AskAsync(IDictionary<string, string> attributes)
    {
        var request = new StringBuilder();
        foreach (var (name, value) in attributes)
        {
            request.Append(name).Append('=').Append(value).Append('\n');
        }

        await SendRawAsync(request.Append('\n').ToString());
        return await ReadAnswerAsync();
    }

    /// <summary>The answer up to the empty line, or null when the server closed the connection.</summary>
    public async Task<string?> ReadAnswerOrCloseAsync()
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            if (text.EndsWith("\n\n", StringComparison.Ordinal))
            {
                return text[..^2];
            }

            int read;
            try
            {
                read = await _stream!.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private async Task<string> ReadAnswerAsync() =>
        await ReadAnswerOrCloseAsync() ?? throw new IOException("the policy server closed the connection");

    public static Dictionary<string, string> Request(
        string state, string client, string port = "40000", string sender = "a@example.org",
        string recipient = "b@example.test", string instance = "1a2b.3c4d.1") => new()
    {
        ["request"] = "smtpd_access_policy",
        ["protocol_state"] = state,
        ["protocol_name"] = "ESMTP",
        ["helo_name"] = "client.example.org",
        ["queue_id"] = "",
        ["sender"] = sender,
        ["recipient"] = recipient,
        ["recipient_count"] = "0",
        ["client_address"] = client,
        ["client_port"] = port,
        ["client_name"] = "unknown",
        ["reverse_client_name"] = "unknown",
        ["instance"] = instance,
        ["size"] = "0",
    };
}
