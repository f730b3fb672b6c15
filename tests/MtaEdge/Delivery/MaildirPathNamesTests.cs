using System.Text;
using Gateway.MtaEdge.Delivery.Maildir;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class MaildirPathNamesTests
{
    public static TheoryData<string, string> HostileNames => new()
    {
        { "ann", "ann" },
        { "o'brien", "o'brien" },
        { "first.last", "first.last" },
        { "srs0=ab=cd=example.net=x", "srs0=ab=cd=example.net=x" },
        { "star*q?{x}|~", "star*q?{x}|~" },
        { "", "%empty" },
        { ".", "%2E" },
        { "..", "%2E%2E" },
        { "...", "%2E%2E%2E" },
        { ".hidden", "%2Ehidden" },
        { ".Junk", "%2EJunk" },
        { "a..b", "a.%2Eb" },
        { "trailing.", "trailing." },
        { "../../etc/passwd", "%2E%2E%2F.%2E%2Fetc%2Fpasswd" },
        { "a/b", "a%2Fb" },
        { "/", "%2F" },
        { "nul\0byte", "nul%00byte" },
        { "100%", "100%25" },
        { "%2F", "%252F" },
        { "tab\there", "tab%09here" },
        { "new\r\nline", "new%0D%0Aline" },
        { "has space", "has%20space" },
        { "back\\slash", "back%5Cslash" },
        { "quote\"d", "quote%22d" },
        { "colon:semi;comma,", "colon%3Asemi%3Bcomma%2C" },
        { "del\u007F", "del%7F" },
        { "josé", "josé" },
        { "日本語", "日本語" },
        { "rtl\u202Eevil", "rtl%E2%80%AEevil" },
        { "zero\u200Bwidth", "zero%E2%80%8Bwidth" },
        { "nbsp\u00A0x", "nbsp%C2%A0x" },
        { "bom\uFEFF", "bom%EF%BB%BF" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void EscapeMailbox_HostileName_BecomesTheExpectedSingleComponent(string name, string expected)
    {
        var escaped = MaildirPathNames.EscapeMailbox(name);

        Assert.Equal(expected, escaped);
        AssertHarmless(escaped);
    }

    [Fact]
    public void EscapeMailbox_OverLongName_IsBoundedDeterministicAndDistinct()
    {
        var long300 = new string('a', 300);
        var long301 = new string('a', 301);
        var slashes = new string('/', 150);

        var a = MaildirPathNames.EscapeMailbox(long300);
        var b = MaildirPathNames.EscapeMailbox(long301);
        var c = MaildirPathNames.EscapeMailbox(slashes);

        Assert.Equal(a, MaildirPathNames.EscapeMailbox(long300));
        Assert.NotEqual(a, b);
        Assert.All([a, b, c], AssertHarmless);
        Assert.Matches("^a+~[0-9a-f]{16}$", a);

        // The cut never splits a %XX escape.
        Assert.Matches("^(%2F)+~[0-9a-f]{16}$", c);
    }

    [Fact]
    public void EscapeMailbox_RandomHostileNames_AreHarmlessAndOneToOne()
    {
        // Characters chosen to hit every rule: dots, separators, escapes, controls, invisibles.
        const string alphabet = "a.%/\\\0\r\n \"'~-+é\u202E\u200B\u0301\uD83D\uDE00";
        var random = new Random(20240601);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 12);
            var name = new StringBuilder();
            for (var j = 0; j < length; j++)
            {
                var c = alphabet[random.Next(alphabet.Length)];
                name.Append(char.IsSurrogate(c) ? "\uD83D\uDE00" : c.ToString());
            }

            var input = name.ToString();
            var escaped = MaildirPathNames.EscapeMailbox(input);
            AssertHarmless(escaped);
            if (seen.TryGetValue(escaped, out var earlier))
            {
                Assert.Equal(earlier, input);
            }

            seen[escaped] = input;
        }
    }

    [Theory]
    [InlineData("example.test", true)]
    [InlineData("mail-1.example.test", true)]
    [InlineData("bücher.example", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData(".example.test", false)]
    [InlineData("example..test", false)]
    [InlineData("a/b", false)]
    [InlineData("a\0b", false)]
    [InlineData("exa mple.test", false)]
    public void IsSafeDomain_ReturnsWhetherTheDomainCanBeADirectory(string domain, bool safe)
    {
        Assert.Equal(safe, MaildirPathNames.IsSafeDomain(domain));
    }

    private static void AssertHarmless(string escaped)
    {
        Assert.NotEqual("", escaped);
        Assert.NotEqual(".", escaped);
        Assert.NotEqual("..", escaped);
        Assert.False(escaped.StartsWith('.'), escaped);
        Assert.DoesNotContain("..", escaped);
        Assert.DoesNotContain('/', escaped);
        Assert.DoesNotContain('\\', escaped);
        Assert.DoesNotContain('\0', escaped);
        Assert.DoesNotContain(escaped, char.IsControl);
        Assert.InRange(Encoding.UTF8.GetByteCount(escaped), 1, MaildirPathNames.MaxNameOctets);
        Assert.Equal(escaped, Path.GetFileName(escaped));
    }
}
