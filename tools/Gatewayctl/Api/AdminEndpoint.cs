using Gateway.Ctl.Cli;

namespace Gateway.Ctl.Api;

/// <summary>Where the admin API is and how to authenticate, resolved from options, files and environment.</summary>
public sealed record AdminEndpoint(Uri BaseUri, string? Token, TimeSpan Timeout)
{
    public const string AdminVariable = "GATEWAY_ADMIN";
    public const string TokenVariable = "GATEWAY_ADMIN_TOKEN";
    public const string DefaultAdmin = "http://127.0.0.1:8025";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    // A token file is a few dozen bytes; anything large is the wrong file.
    private const long MaxTokenFileBytes = 4096;

    /// <summary>The URL as shown in messages: scheme, host, port and path, never user info.</summary>
    public string Display => BaseUri.GetComponents(
        UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/');

    public static AdminEndpoint Resolve(CommandLine line, Func<string, string?> environment)
    {
        var admin = NonEmpty(line.Admin) ?? NonEmpty(environment(AdminVariable)) ?? DefaultAdmin;
        var source = line.Admin is not null ? "--admin" : NonEmpty(environment(AdminVariable)) is not null
            ? AdminVariable : "the default";
        var baseUri = ParseAdmin(admin, source);

        string? token;
        if (line.Token is not null)
        {
            token = NonEmpty(line.Token) ?? throw new UsageException("--token is empty.");
        }
        else if (line.TokenFile is not null)
        {
            token = ReadTokenFile(line.TokenFile);
        }
        else
        {
            token = NonEmpty(environment(TokenVariable));
        }

        if (token is not null && token.Any(c => c < 0x21 || c > 0x7e))
        {
            // RFC 6750 section 2.1: a bearer token is visible ASCII; say so without echoing it.
            throw new UsageException("the admin token contains spaces, control or non-ASCII characters.");
        }

        return new AdminEndpoint(baseUri, token, line.Timeout ?? DefaultTimeout);
    }

    private static Uri ParseAdmin(string value, string source)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new UsageException(
                $"the admin API address from {source} is not an http:// or https:// URL: \"{value}\".");
        }

        // Keep a path prefix (a gateway behind a reverse proxy) and make it end in "/" so relative paths append.
        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static string ReadTokenFile(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new Input.InputFileException($"the token file {path} does not exist.");
            }

            if (info.Length > MaxTokenFileBytes)
            {
                throw new Input.InputFileException(
                    $"the token file {path} is {info.Length} bytes long; a token file holds just the token.");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Input.InputFileException($"cannot read the token file {path}: {e.Message}");
        }

        return NonEmpty(text.Trim()) ?? throw new UsageException($"the token file {path} is empty.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
