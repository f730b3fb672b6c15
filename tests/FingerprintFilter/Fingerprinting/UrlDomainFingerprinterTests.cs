using System.Text;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Normalization;
using Gateway.FingerprintFilter.Tests.Support;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Fingerprinting;

public sealed class UrlDomainFingerprinterTests
{
    private static IReadOnlyList<string> Domains(string raw) =>
        FingerprintFilterFactory.Calculator().Compute(TestMessages.Bytes(raw)).Fingerprints
            .Where(fp => fp.StartsWith("u1:", StringComparison.Ordinal)).ToList();

    private static string U1(string domain) => FingerprintDigest.Of("u1", Encoding.UTF8.GetBytes(domain));

    [Theory]
    [InlineData("www.shop.example.com", "example.com")]
    [InlineData("example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("mybrand.blogspot.com", "mybrand.blogspot.com")]
    [InlineData("bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com")]
    [InlineData("192.0.2.15", "192.0.2.15")]
    [InlineData("localhost", null)]
    [InlineData("a..b", null)]
    public void RegistrableDomain_Host_GivesTheDomainOneLevelBelowItsSuffix(string host, string? expected)
    {
        Assert.Equal(expected, RegistrableDomain.Of(host));
    }

    [Theory]
    [InlineData("http://User:pw@WWW.Example.COM:8080/path?q=1", "www.example.com")]
    [InlineData("https://shop.example.org/", "shop.example.org")]
    [InlineData("//cdn.example.net/a.png", "cdn.example.net")]
    [InlineData("www.example.info.", "www.example.info")]
    [InlineData("mailto:someone@example.com", null)]
    [InlineData("cid:part1@example.com", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("http://bad_host!/x", null)]
    public void LinkHost_Link_GivesItsHostOrNull(string link, string? expected)
    {
        Assert.Equal(expected, LinkHost.Of(link));
    }

    [Fact]
    public void Compute_TextAndHtmlLinks_GiveOneDigestPerRegistrableDomain()
    {
        var raw = "Subject: x\nContent-Type: multipart/alternative; boundary=alt\n\n" +
            "--alt\nContent-Type: text/plain\n\n" +
            "Visit http://www.shop.example.com/a and http://img.shop.example.com/b " +
            "or https://other.example.org/?id=7 today.\n" +
            "--alt\nContent-Type: text/html\n\n<html><body><a href=\"http://click.tracker.example.net/r?u=1\">" +
            "Click here</a><img src=\"https://cdn.example.com/logo.png\"></body></html>\n--alt--\n";

        Assert.Equal([U1("example.com"), U1("example.org"), U1("example.net")], Domains(raw));
    }

    [Fact]
    public void Compute_MessageWithoutLinks_GivesNoU1()
    {
        Assert.Empty(Domains(TestMessages.Plain(TestMessages.CampaignText)));
    }

    [Fact]
    public void Compute_LinksInsideScript_AreIgnored()
    {
        var raw = "Subject: x\nContent-Type: text/html\n\n<html><script src=\"http://evil.example/x.js\"></script>" +
            "<body>Hello there</body></html>\n";

        Assert.Empty(Domains(raw));
    }

    [Fact]
    public void Compute_ManyDomains_KeepsAtMostTheConfiguredNumber()
    {
        var links = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"http://site{i}.example{i}.com/"));

        Assert.Equal(16, Domains(TestMessages.Plain(links)).Count);
    }
}
