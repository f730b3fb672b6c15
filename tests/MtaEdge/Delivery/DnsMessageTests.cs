using System.Net;
using Gateway.MtaEdge.Delivery.Dns;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>DNS responses from the wire (RFC 1035 4.1): compression, bounds and mismatches.</summary>
public sealed class DnsMessageTests
{
    [Fact]
    public void Parse_MxWithCompressedExchange_Read()
    {
        var query = DnsMessage.Query(0x1234, "example.test", DnsMessage.TypeMx);
        byte[] answer = [0xC0, 0x0C, 0, 15, 0, 1, 0, 0, 0, 60, 0, 7, 0, 10, 2, (byte)'m', (byte)'x', 0xC0, 0x0C];
        var response = Response(query, 1, answer);

        var parsed = DnsMessage.Parse(response, 0x1234, DnsMessage.TypeMx);

        Assert.Equal(DnsLookupStatus.Ok, parsed.Status);
        Assert.Equal(new MxRecord(10, "mx.example.test"), Assert.Single(parsed.Exchanges));
    }

    [Fact]
    public void Parse_ARecordsAndCnameSkipped_AddressesRead()
    {
        var query = DnsMessage.Query(7, "host.test", DnsMessage.TypeA);
        byte[] cname = [0xC0, 0x0C, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xC0, 0x0C];
        byte[] a = [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9];

        var parsed = DnsMessage.Parse(Response(query, 2, [.. cname, .. a]), 7, DnsMessage.TypeA);

        Assert.Equal(IPAddress.Parse("192.0.2.9"), Assert.Single(parsed.Addresses));
    }

    [Fact]
    public void Parse_PointerLoop_FailsCleanly()
    {
        var query = DnsMessage.Query(7, "host.test", DnsMessage.TypeMx);
        var loopAt = query.Length + 14;
        byte[] mx = [0xC0, 0x0C, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 1, 0xC0, (byte)loopAt];

        var parsed = DnsMessage.Parse(Response(query, 1, mx), 7, DnsMessage.TypeMx);

        Assert.Equal(DnsLookupStatus.Failure, parsed.Status);
    }

    [Fact]
    public void Parse_RecordLongerThanMessage_FailsCleanly()
    {
        var query = DnsMessage.Query(7, "host.test", DnsMessage.TypeA);
        byte[] a = [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 200, 192, 0];

        Assert.Equal(DnsLookupStatus.Failure, DnsMessage.Parse(Response(query, 1, a), 7, DnsMessage.TypeA).Status);
    }

    [Fact]
    public void Parse_OtherIdOrNotAResponse_Failure()
    {
        var query = DnsMessage.Query(7, "host.test", DnsMessage.TypeA);

        Assert.Equal(DnsLookupStatus.Failure, DnsMessage.Parse(Response(query, 0, []), 8, DnsMessage.TypeA).Status);
        Assert.Equal(DnsLookupStatus.Failure, DnsMessage.Parse(query, 7, DnsMessage.TypeA).Status);
    }

    [Fact]
    public void Parse_NameError_Reported()
    {
        var query = DnsMessage.Query(7, "host.test", DnsMessage.TypeA);
        var response = Response(query, 0, []);
        response[3] = 0x83;

        Assert.Equal(DnsLookupStatus.NameError, DnsMessage.Parse(response, 7, DnsMessage.TypeA).Status);
    }

    [Fact]
    public void Query_LabelTooLongOrEmpty_Refused()
    {
        Assert.Throws<ArgumentException>(() => DnsMessage.Query(1, new string('a', 64) + ".test", DnsMessage.TypeA));
        Assert.Throws<ArgumentException>(() => DnsMessage.Query(1, "a..test", DnsMessage.TypeA));
    }

    private static byte[] Response(byte[] query, int answers, byte[] records)
    {
        var response = (byte[])[.. query, .. records];
        response[2] = 0x81;
        response[3] = 0x80;
        response[7] = (byte)answers;
        return response;
    }
}
