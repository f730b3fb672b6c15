using System.Net;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// The registrable domain of a host: the public suffix plus one label ("www.shop.example.co.uk" ->
/// "example.co.uk"). A campaign rotates host names under a domain it bought; the domain is what it
/// pays for, so that is what is fingerprinted.
/// </summary>
/// <remarks>
/// FIXME: the full Public Suffix List (publicsuffix.org, ~9,000 rules) is not embedded: the build
/// downloads nothing and the list changes monthly. This embeds the multi-label suffixes that carry
/// most mail (country second levels such as co.uk, com.au, co.jp) and shared-hosting suffixes whose
/// sub-domains belong to different people (blogspot.com, github.io …). Under any other suffix the
/// last two labels are taken, so a host under an unlisted multi-label suffix yields the suffix itself
/// (e.g. "gov.xx"), which at worst makes u1 match more broadly; u1 never convicts alone.
/// </remarks>
public static class RegistrableDomain
{
    private const int MaxSuffixLabels = 3;

    private static readonly HashSet<string> MultiLabelSuffixes = new(StringComparer.Ordinal)
    {
        // Country second levels (the most used ones in mail).
        "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk", "gov.uk", "sch.uk", "nhs.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
        "co.nz", "net.nz", "org.nz", "ac.nz", "govt.nz", "geek.nz",
        "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
        "co.kr", "or.kr", "ne.kr", "ac.kr", "go.kr", "re.kr",
        "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn",
        "com.tw", "net.tw", "org.tw", "edu.tw", "gov.tw", "idv.tw",
        "com.hk", "net.hk", "org.hk", "edu.hk", "gov.hk", "idv.hk",
        "com.sg", "net.sg", "org.sg", "edu.sg", "gov.sg",
        "com.my", "net.my", "org.my", "edu.my", "gov.my",
        "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in", "ac.in", "gov.in", "edu.in",
        "co.id", "or.id", "ac.id", "go.id", "web.id", "net.id",
        "co.th", "in.th", "ac.th", "go.th", "or.th",
        "com.vn", "net.vn", "org.vn", "edu.vn", "gov.vn",
        "com.ph", "net.ph", "org.ph", "com.pk", "net.pk", "org.pk",
        "com.br", "net.br", "org.br", "gov.br", "edu.br", "art.br", "blog.br",
        "com.ar", "net.ar", "org.ar", "gob.ar", "com.mx", "net.mx", "org.mx", "gob.mx", "edu.mx",
        "com.co", "net.co", "org.co", "com.pe", "com.ve", "co.ve", "com.ec", "com.uy", "com.py", "com.bo",
        "cl.cl", "co.cr", "com.gt", "com.do", "com.pa", "com.sv", "com.ni", "com.hn", "com.pr",
        "co.za", "org.za", "net.za", "gov.za", "ac.za", "web.za", "com.ng", "com.eg", "co.ke", "or.ke",
        "co.il", "org.il", "net.il", "ac.il", "gov.il", "com.tr", "net.tr", "org.tr", "gen.tr", "web.tr",
        "com.sa", "net.sa", "org.sa", "com.ae", "net.ae", "org.ae", "com.qa", "com.kw", "com.lb", "com.jo",
        "com.ua", "net.ua", "org.ua", "in.ua", "kiev.ua", "com.ru", "net.ru", "org.ru", "msk.ru", "spb.ru",
        "com.pl", "net.pl", "org.pl", "waw.pl", "co.at", "or.at", "ac.at", "gv.at", "co.hu", "com.gr",
        "com.cy", "com.mt", "com.pt", "com.es", "nom.es", "org.es", "com.ro", "co.rs", "com.hr", "co.ba",
        // Shared hosting and redirectors: every sub-domain is somebody else's site.
        "blogspot.com", "wordpress.com", "github.io", "gitlab.io", "herokuapp.com", "appspot.com",
        "azurewebsites.net", "cloudfront.net", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
        "web.app", "firebaseapp.com", "000webhostapp.com", "weebly.com", "wixsite.com", "tumblr.com",
        "s3.amazonaws.com", "sharepoint.com", "myshopify.com", "ngrok.io", "duckdns.org", "no-ip.org",
        "dyndns.org", "geocities.com", "tripod.com", "angelfire.com", "freeservers.com",
    };

    /// <summary>
    /// The registrable domain of a lower-case host name; an IPv4 literal is returned as it is (it is
    /// its own registration). Null for a host with a single label.
    /// </summary>
    public static string? Of(string host)
    {
        if (IPAddress.TryParse(host, out var address) && address.AddressFamily ==
            System.Net.Sockets.AddressFamily.InterNetwork && host.Count(c => c == '.') == 3)
        {
            return address.ToString();
        }

        var labels = host.Split('.');
        if (labels.Length < 2 || labels.Any(string.IsNullOrEmpty))
        {
            return null;
        }

        // The longest listed suffix wins: s3.amazonaws.com (three labels) before amazonaws.com.
        for (var suffixLabels = Math.Min(labels.Length, MaxSuffixLabels); suffixLabels >= 2; suffixLabels--)
        {
            if (MultiLabelSuffixes.Contains(string.Join('.', labels[^suffixLabels..])))
            {
                // A host that is itself a suffix ("co.uk") is nobody's registration; keep it whole.
                return string.Join('.', labels[^Math.Min(labels.Length, suffixLabels + 1)..]);
            }
        }

        return string.Join('.', labels[^2..]);
    }
}
