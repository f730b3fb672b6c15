using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Gateway.MtaEdge.Delivery.Dns;

/// <summary>
/// A small stub resolver for MX delivery: asks the configured recursive servers over UDP (TCP when
/// the answer is truncated, RFC 7766), each within the timeout, the next server when one fails.
/// Query ids are random and answers must match them, so a stray or spoofed datagram is ignored.
/// </summary>
public sealed class DnsResolver
{
    private const int MaxUdpResponse = 4096;

    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly TimeSpan _timeout;

    public DnsResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
    {
        if (servers.Count == 0)
        {
            throw new ArgumentException("at least one DNS server is needed", nameof(servers));
        }

        _servers = servers;
        _timeout = timeout;
    }

    public string Description => string.Join(", ", _servers);

    /// <summary>The servers configured, or those of /etc/resolv.conf, or 127.0.0.1.</summary>
    public static IReadOnlyList<IPEndPoint> Servers(
        IEnumerable<string> configured, string resolvConf = "/etc/resolv.conf")
    {
        var servers = new List<IPEndPoint>();
        foreach (var text in configured)
        {
            servers.Add(ParseServer(text) ?? throw new FormatException($"'{text}' is not a DNS server address"));
        }

        if (servers.Count > 0)
        {
            return servers;
        }

        try
        {
            foreach (var line in File.ReadLines(resolvConf))
            {
                var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1], out var address))
                {
                    servers.Add(new IPEndPoint(address, 53));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No resolv.conf: fall back below.
        }

        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, 53)];
    }

    /// <summary>"192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53"; null when it is none of these.</summary>
    public static IPEndPoint? ParseServer(string text)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var bare))
        {
            return new IPEndPoint(bare, 53);
        }

        return IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0 ? endpoint : null;
    }

    public async Task<DnsAnswer> LookupAsync(string name, ushort type, CancellationToken cancellationToken)
    {
        byte[] query;
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        try
        {
            query = DnsMessage.Query(id, name, type);
        }
        catch (ArgumentException ex)
        {
            return new DnsAnswer(DnsLookupStatus.NameError, [], [], ex.Message);
        }

        var answer = DnsAnswer.Failed("no DNS server answered");
        foreach (var server in _servers)
        {
            answer = await AskAsync(server, query, id, type, cancellationToken);
            if (answer.Status != DnsLookupStatus.Failure)
            {
                return answer;
            }
        }

        return answer;
    }

    private async Task<DnsAnswer> AskAsync(
        IPEndPoint server, byte[] query, ushort id, ushort type, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var udp = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            await udp.ConnectAsync(server, timeout.Token);
            await udp.SendAsync(query, SocketFlags.None, timeout.Token);
            var buffer = new byte[MaxUdpResponse];
            while (true)
            {
                var received = await udp.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                var response = buffer.AsSpan(0, received);
                if (received < 2 || BinaryPrimitives.ReadUInt16BigEndian(response) != id)
                {
                    continue; // Not ours: keep waiting for the real answer.
                }

                if (!DnsMessage.IsTruncated(response))
                {
                    return DnsMessage.Parse(response, id, type);
                }

                break;
            }

            return await AskOverTcpAsync(server, query, id, type, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DnsAnswer.Failed($"{server} did not answer within {_timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            return DnsAnswer.Failed($"{server}: {ex.SocketErrorCode}");
        }
    }

    private static async Task<DnsAnswer> AskOverTcpAsync(
        IPEndPoint server, byte[] query, ushort id, ushort type, CancellationToken cancellationToken)
    {
        using var tcp = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(server, cancellationToken);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await tcp.SendAsync(framed, SocketFlags.None, cancellationToken);

        var lengthBytes = new byte[2];
        if (!await ReadExactlyAsync(tcp, lengthBytes, cancellationToken))
        {
            return DnsAnswer.Failed($"{server} closed the TCP connection");
        }

        var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
        return await ReadExactlyAsync(tcp, response, cancellationToken)
            ? DnsMessage.Parse(response, id, type)
            : DnsAnswer.Failed($"{server} closed the TCP connection");
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"dns({Description})");
}
