using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Gateway.Common.Net;
using Gateway.SenderIntelligence.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>
/// A-record queries through DnsClient, to the configured servers (or the system's). DnsClient's own cache is off:
/// <see cref="DnsblChecker"/> caches within its own TTL bounds.
/// </summary>
public sealed class DnsClientQuery : IDnsQuery
{
    private readonly LookupClient _client;

    public DnsClientQuery(IOptions<SenderIntelligenceOptions> options)
    {
        var dnsbl = options.Value.Global.Dnsbl;
        var servers = dnsbl.Servers.Select(s => (NameServer)ParseServer(s)).ToArray();
        var settings = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        settings.UseCache = false;
        settings.Timeout = dnsbl.Timeout;
        settings.Retries = 0;
        settings.ThrowDnsErrors = false;
        settings.UseTcpFallback = true;
        settings.ContinueOnDnsError = false;
        settings.ContinueOnEmptyResponse = false;
        settings.UseRandomNameServer = false;
        _client = new LookupClient(settings);
    }

    public async Task<DnsAnswer> QueryAsync(string name, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, QueryType.A, QueryClass.IN, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsAnswer.TimedOut;
        }
        catch (DnsResponseException)
        {
            return new DnsAnswer(DnsAnswerStatus.Error, [], TimeSpan.Zero);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            return new DnsAnswer(DnsAnswerStatus.Error, [], TimeSpan.Zero);
        }

        var code = response.Header.ResponseCode;
        var empty = code == DnsHeaderResponseCode.NoError && !response.Answers.ARecords().Any();
        if (code == DnsHeaderResponseCode.NotExistentDomain || empty)
        {
            // Negative answers are cached for the SOA minimum (RFC 2308 section 5), when the server sends one.
            var soa = response.Authorities.SoaRecords().FirstOrDefault();
            var ttl = soa is null
                ? TimeSpan.Zero
                : TimeSpan.FromSeconds(Math.Min(soa.Minimum, (uint)soa.InitialTimeToLive));
            return new DnsAnswer(DnsAnswerStatus.NotFound, [], ttl);
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            return new DnsAnswer(DnsAnswerStatus.Error, [], TimeSpan.Zero);
        }

        var records = response.Answers.ARecords().ToList();
        return new DnsAnswer(
            DnsAnswerStatus.Found,
            records.Select(r => r.Address).ToList(),
            // InitialTimeToLive: the TTL as answered (TimeToLive counts down from when the answer was read).
            TimeSpan.FromSeconds(records.Min(r => r.InitialTimeToLive)));
    }

    /// <summary>"127.0.0.1:5353", "[::1]:53", or an address alone (port 53).</summary>
    internal static IPEndPoint ParseServer(string text)
    {
        if (EndpointParser.TryParse(text, out var endpoint))
        {
            return endpoint;
        }

        if (IPAddress.TryParse(text.Trim().Trim('[', ']'), out var address))
        {
            return new IPEndPoint(address, 53);
        }

        throw new FormatException($"'{text}' is not a DNS server address such as 127.0.0.1 or 127.0.0.1:5353.");
    }
}
