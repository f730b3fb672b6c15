using System.Net;
using Gateway.Common.Mail;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Host.Delivery;

/// <summary>
/// Looks for a copy in the recipient's INBOX and Junk over IMAP (as the master user), by the edge's own
/// Received: field, which carries the queue id. The queue id is unique per accepted message, so a hit is this
/// very delivery and not an earlier copy of the same content.
/// </summary>
public sealed class ImapCopyProbe : IDeliveredCopyProbe
{
    private readonly ImapProbeOptions _options;
    private readonly string _junkFolder;
    private readonly Lazy<string> _password;

    public ImapCopyProbe(IOptions<ImapProbeOptions> options, IConfiguration configuration)
    {
        _options = options.Value;
        _junkFolder = configuration["Gateway:Remediation:JunkFolder"] is { Length: > 0 } junk ? junk : "Junk";
        _password = new Lazy<string>(() => _options.MasterPasswordFile.Length > 0
            ? File.ReadAllText(_options.MasterPasswordFile).TrimEnd('\r', '\n')
            : _options.MasterPassword);
    }

    public async Task<CopyProbeResult> FindAsync(QueuedMessage message, string recipient,
        CancellationToken cancellationToken)
    {
        if (!_options.IsConfigured || !EnvelopeAddress.TryParse(recipient, out var address))
        {
            return CopyProbeResult.Unknown;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout * 4);
        var token = timeout.Token;
        using var client = new ImapClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, SocketOptions(), token);
            var login = _options.LoginFormat.Replace("{address}", address.MailboxAddress, StringComparison.Ordinal)
                .Replace("{local}", address.MailboxName, StringComparison.Ordinal)
                .Replace("{domain}", address.Domain, StringComparison.Ordinal);
            await client.AuthenticateAsync(
                new SaslMechanismPlain(new NetworkCredential(_options.MasterUser, _password.Value))
                {
                    AuthorizationId = login,
                },
                token);

            // The edge's Received: field says "id <queue id>"; searching headers is slow on big mailboxes,
            // so only mail that arrived since the message was received is looked at.
            var query = SearchQuery.DeliveredAfter(message.ReceivedAt.UtcDateTime.AddDays(-1))
                .And(SearchQuery.HeaderContains("Received", message.QueueId));
            if (await CountAsync(client.Inbox, query, token) > 0)
            {
                return CopyProbeResult.Found;
            }

            IMailFolder junk;
            try
            {
                junk = await client.GetFolderAsync(_junkFolder, token);
            }
            catch (FolderNotFoundException)
            {
                return CopyProbeResult.NotFound;
            }

            return await CountAsync(junk, query, token) > 0 ? CopyProbeResult.Found : CopyProbeResult.NotFound;
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException
                                       or AuthenticationException or System.Net.Sockets.SocketException
                                       or OperationCanceledException or SslHandshakeException)
        {
            return CopyProbeResult.Unknown;
        }
        finally
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(true, CancellationToken.None);
                }
                catch (Exception ex) when (ex is IOException or ImapProtocolException)
                {
                    // Already done with it.
                }
            }
        }
    }

    private static async Task<int> CountAsync(IMailFolder folder, SearchQuery query, CancellationToken token)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly, token);
        var found = await folder.SearchAsync(query, token);
        await folder.CloseAsync(false, token);
        return found.Count;
    }

    private SecureSocketOptions SocketOptions() => _options.Security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "sslonconnect" => SecureSocketOptions.SslOnConnect,
        _ => IPAddress.TryParse(_options.Host, out var ip) && IPAddress.IsLoopback(ip) || _options.Host == "localhost"
            ? SecureSocketOptions.None
            : SecureSocketOptions.StartTls,
    };
}
