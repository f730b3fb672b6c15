using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Delivery.Dns;

namespace Gateway.MtaEdge.Tests.Delivery.Support;

/// <summary>
/// A DNS server on 127.0.0.1 (UDP) for tests: answers MX, A and AAAA questions from the records the
/// test gives, NXDOMAIN for names it marks so, and an empty answer for anything else.
/// </summary>
public sealed class FakeDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeDnsServer()
    {
        EndPoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint { get; }

    public string Address => EndPoint.ToString();

    public ConcurrentDictionary<string, List<(int Preference, string Exchange)>> Mx { get; } =
        new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, List<IPAddress>> A { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, bool> NxDomain { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<(string Name, ushort Type)> Questions { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var response = Answer(request.Buffer);
            if (response is not null)
            {
                await _udp.SendAsync(response, request.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        // Question: header (12), name, type, class.
        var position = 12;
        var labels = new List<string>();
        while (position < query.Length && query[position] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, position + 1, query[position]));
            position += query[position] + 1;
        }

        var questionEnd = position + 5;
        if (questionEnd > query.Length)
        {
            return null;
        }

        var name = string.Join('.', labels);
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(position + 1));
        Questions.Enqueue((name, type));

        var answers = new List<byte[]>();
        if (type == DnsMessage.TypeMx && Mx.TryGetValue(name, out var exchanges))
        {
            foreach (var (preference, exchange) in exchanges)
            {
                var data = new List<byte> { (byte)(preference >> 8), (byte)preference };
                data.AddRange(Name(exchange));
                answers.Add(Record(type, data.ToArray()));
            }
        }
        else if (type == DnsMessage.TypeA && A.TryGetValue(name, out var addresses))
        {
            answers.AddRange(addresses.Select(a => Record(type, a.GetAddressBytes())));
        }

        var response = new List<byte>(query.AsSpan(0, questionEnd).ToArray());
        response[2] = 0x81; // QR, RD
        response[3] = (byte)(NxDomain.ContainsKey(name) ? 0x83 : 0x80); // RA, RCODE
        response[6] = (byte)(answers.Count >> 8);
        response[7] = (byte)answers.Count;
        response[8] = response[9] = response[10] = response[11] = 0;
        foreach (var answer in answers)
        {
            response.AddRange(answer);
        }

        return response.ToArray();
    }

    /// <summary>An answer record whose owner is the question's name (compression pointer to offset 12).</summary>
    private static byte[] Record(ushort type, byte[] data)
    {
        var record = new List<byte> { 0xC0, 0x0C, (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 60 };
        record.Add((byte)(data.Length >> 8));
        record.Add((byte)data.Length);
        record.AddRange(data);
        return record.ToArray();
    }

    private static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return bytes.ToArray();
    }
}
