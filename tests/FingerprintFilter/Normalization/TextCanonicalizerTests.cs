using Gateway.FingerprintFilter.Normalization;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Normalization;

public sealed class TextCanonicalizerTests
{
    [Fact]
    public void Canonicalize_MixedCaseAndWhitespaceRuns_FoldsToSingleSpacesLowerCase()
    {
        var result = TextCanonicalizer.Canonicalize("  Hello\r\n\tWORLD \u00A0 and\u2003More  ");

        Assert.Equal("hello world and more", result);
    }

    [Fact]
    public void Canonicalize_ZeroWidthCharactersInsideWords_AreDropped()
    {
        var result = TextCanonicalizer.Canonicalize("Vi\u200Bag\u00ADra to\u200Dday\uFEFF");

        Assert.Equal("viagra today", result);
    }

    [Theory]
    [InlineData("Call 555-1234 now for $19.95", "call [n] now for $[n]")]
    [InlineData("Call 555-9876 now for $24.99", "call [n] now for $[n]")]
    [InlineData("Reply to john.doe+x@mail.example.com today", "reply to [email] today")]
    [InlineData("Your code: A7F3K9Q2ZX and ref 3f9a2c1d", "your code: [tok] and ref [tok]")]
    [InlineData("Visit http://Shop.Example.com/buy.php?id=123&u=zzzz#top.", "visit shop.example.com/buy.php?[q].")]
    [InlineData("Visit https://user:pw@shop.example.com:8080/buy.php?x=1", "visit shop.example.com/buy.php?[q]")]
    [InlineData("go to www.example.com/path, now", "go to www.example.com/path, now")]
    public void Canonicalize_VolatileTokens_AreMasked(string input, string expected)
    {
        Assert.Equal(expected, TextCanonicalizer.Canonicalize(input));
    }

    [Fact]
    public void Canonicalize_CampaignVariants_NormaliseAlike()
    {
        var first = TextCanonicalizer.Canonicalize(
            "Hi zzzz@example.com, order #48213 ships today! " +
            "Track: http://t.example.net/r/ab12cd34ef?u=1&c=77 Code X9Y8Z7W6V5");
        var second = TextCanonicalizer.Canonicalize(
            "Hi  yyyy@other.example.org,\norder #99107 ships TODAY!  " +
            "Track: http://t.example.net/r/zz98yy76xx?u=2 Code QQ11RR22SS");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Canonicalize_DifferentHostsInLinks_StayDifferent()
    {
        var first = TextCanonicalizer.Canonicalize("Cheap offers at http://cheap.example.com/?id=1");
        var second = TextCanonicalizer.Canonicalize("Cheap offers at http://other.example.org/?id=1");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Canonicalize_OrdinaryWords_AreKept()
    {
        var result = TextCanonicalizer.Canonicalize("Internationalization meetings are scheduled weekly");

        Assert.Equal("internationalization meetings are scheduled weekly", result);
    }
}
