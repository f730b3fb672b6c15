using Gateway.SenderIntelligence.Subjects;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Subjects;

public sealed class SenderSubjectTests
{
    [Theory]
    [InlineData("192.0.2.7", SubjectKind.Address, "192.0.2.7", "ip:192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", SubjectKind.Address, "192.0.2.7", "ip:192.0.2.7")]
    [InlineData("192.0.2.7/32", SubjectKind.Address, "192.0.2.7", "ip:192.0.2.7")]
    [InlineData("2001:DB8::7", SubjectKind.Address, "2001:db8::7", "ip:2001:db8::7")]
    [InlineData("198.51.100.0/24", SubjectKind.Network, "198.51.100.0/24", "net:198.51.100.0/24")]
    [InlineData("2001:db8::/48", SubjectKind.Network, "2001:db8::/48", "net:2001:db8::/48")]
    [InlineData("Example.COM.", SubjectKind.Domain, "example.com", "dom:example.com")]
    [InlineData("bücher.example", SubjectKind.Domain, "xn--bcher-kva.example", "dom:xn--bcher-kva.example")]
    public void TryParse_WhatAnAdministratorTypes_CanonicalSubject(
        string text, SubjectKind kind, string canonical, string key)
    {
        Assert.True(SenderSubject.TryParse(text, out var subject, out var error), error);

        Assert.Equal((kind, canonical, key), (subject.Kind, subject.Canonical, subject.Key));
        Assert.True(SenderSubject.TryParseKey(subject.Key, out var again));
        Assert.Equal(subject, again);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("192.0.2.1/24", "did you mean 192.0.2.0/24")]
    [InlineData("300.1.1.1", "not an IPv4 address")]
    [InlineData("localhost", "neither an IP address")]
    [InlineData("a..example", "neither an IP address")]
    [InlineData("-bad.example", "neither an IP address")]
    [InlineData("spaces in.example", "neither an IP address")]
    public void TryParse_NotASubject_SaysWhy(string text, string because)
    {
        Assert.False(SenderSubject.TryParse(text, out _, out var error));
        Assert.Contains(because, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user@Example.ORG", "example.org")]
    [InlineData("\"odd@local\"@example.org.", "example.org")]
    [InlineData("", null)]
    [InlineData("user@[192.0.2.1]", null)]
    [InlineData("no-at-sign", null)]
    public void OfAddress_EnvelopeSender_Domain(string address, string? expected)
    {
        Assert.Equal(expected, DomainNames.OfAddress(address));
    }
}
