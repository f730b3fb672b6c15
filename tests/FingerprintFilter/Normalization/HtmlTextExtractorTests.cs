using Gateway.FingerprintFilter.Normalization;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Normalization;

public sealed class HtmlTextExtractorTests
{
    [Fact]
    public void Extract_ScriptStyleTitleAndComments_AreDropped()
    {
        const string html = "<html><head><title>Title</title><style>p { color: red }</style>" +
            "<script>var x = '<p>hidden</p>';</script></head><body><!-- secret -->Visible</body></html>";

        var text = TextCanonicalizer.FoldWhitespace(HtmlTextExtractor.Extract(html));

        Assert.Equal("Visible", text);
    }

    [Fact]
    public void Extract_CharacterReferences_AreDecoded()
    {
        var text = HtmlTextExtractor.Extract("<p>Fish&nbsp;&amp;&#32;Chips &#x41;&lt;3</p>");

        Assert.Equal("Fish\u00A0& Chips A<3", text.Trim());
    }

    [Fact]
    public void Extract_BlockTags_SeparateWordsButInlineTagsDoNot()
    {
        var text = TextCanonicalizer.FoldWhitespace(
            HtmlTextExtractor.Extract("<div>first</div><div>second<br>third</div><p>Vi<b></b>ag<span>ra</span></p>"));

        Assert.Equal("first second third Viagra", text);
    }

    [Fact]
    public void Extract_UnclosedStyle_HidesTheRest()
    {
        var text = TextCanonicalizer.FoldWhitespace(HtmlTextExtractor.Extract("shown<style>hidden forever"));

        Assert.Equal("shown", text);
    }

    [Fact]
    public void Extract_MalformedMarkup_DoesNotThrow()
    {
        var text = HtmlTextExtractor.Extract("<<<>>><a href=\"x><b <p>text</i></</>& &#xZZ; &bogus;");

        Assert.NotNull(text);
    }
}
