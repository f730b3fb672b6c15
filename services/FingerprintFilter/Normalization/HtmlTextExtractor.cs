using System.Text;
using MimeKit.Text;

namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// Reduces HTML to the text a reader sees: character references decoded, markup, comments, scripts,
/// styles and the title dropped. Tags that break a line in a browser become a space; inline tags
/// (b, span, font …) do not, so "Vi&lt;b&gt;&lt;/b&gt;agra" stays one word as the reader sees it.
/// Link targets (href, src, action, background) are not visible text but say where the mail leads;
/// they are handed to a collector for the URL-domain fingerprints.
/// </summary>
public static class HtmlTextExtractor
{
    private static readonly HashSet<HtmlTagId> Hidden = [HtmlTagId.Script, HtmlTagId.Style, HtmlTagId.Title];

    private static readonly HashSet<HtmlTagId> Inline =
    [
        HtmlTagId.A, HtmlTagId.Abbr, HtmlTagId.Acronym, HtmlTagId.B, HtmlTagId.Bdo, HtmlTagId.Big,
        HtmlTagId.Cite, HtmlTagId.Code, HtmlTagId.Del, HtmlTagId.Dfn, HtmlTagId.EM, HtmlTagId.Font,
        HtmlTagId.I, HtmlTagId.Ins, HtmlTagId.Kbd, HtmlTagId.Label, HtmlTagId.Mark, HtmlTagId.Q,
        HtmlTagId.S, HtmlTagId.Samp, HtmlTagId.Small, HtmlTagId.Span, HtmlTagId.Strike, HtmlTagId.Strong,
        HtmlTagId.Sub, HtmlTagId.Sup, HtmlTagId.TT, HtmlTagId.U, HtmlTagId.Var, HtmlTagId.Wbr,
    ];

    private static readonly HashSet<HtmlAttributeId> LinkAttributes =
        [HtmlAttributeId.Href, HtmlAttributeId.Src, HtmlAttributeId.Action, HtmlAttributeId.Background];

    public static string Extract(string html) => Extract(html, null);

    /// <summary>The visible text; every link target is added to <paramref name="links"/> when given.</summary>
    public static string Extract(string html, ICollection<string>? links)
    {
        var text = new StringBuilder(html.Length / 2);
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };

        // Counts open hidden elements; an unclosed <style> hides the rest, as it would in a browser.
        var hiddenDepth = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when Hidden.Contains(tag.Id):
                    if (tag.IsEndTag)
                    {
                        hiddenDepth = Math.Max(0, hiddenDepth - 1);
                    }
                    else if (!tag.IsEmptyElement)
                    {
                        hiddenDepth++;
                    }

                    text.Append(' ');
                    break;
                case HtmlTagToken tag:
                    if (links is not null && !tag.IsEndTag)
                    {
                        CollectLinks(tag, links);
                    }

                    if (!Inline.Contains(tag.Id))
                    {
                        text.Append(' ');
                    }

                    break;
                case HtmlDataToken data when token.Kind == HtmlTokenKind.Data && hiddenDepth == 0:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString();
    }

    private static void CollectLinks(HtmlTagToken tag, ICollection<string> links)
    {
        foreach (var attribute in tag.Attributes)
        {
            if (LinkAttributes.Contains(attribute.Id) && !string.IsNullOrWhiteSpace(attribute.Value))
            {
                links.Add(attribute.Value);
            }
        }
    }
}
