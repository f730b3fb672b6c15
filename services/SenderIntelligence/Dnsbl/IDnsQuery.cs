namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>Asks DNS for the A records of a name. Never throws for DNS or network failures: it answers them.</summary>
public interface IDnsQuery
{
    Task<DnsAnswer> QueryAsync(string name, CancellationToken cancellationToken);
}
