using System.Net;
using System.Net.Sockets;
using Gateway.Common.Mail;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores;

/// <summary>
/// Moves copies in an IMAP store (typically Dovecot, delivered to over LMTP). Each operation opens
/// its own session and logs in as the master user on behalf of the copy's mailbox: SASL PLAIN with
/// the master user as authentication identity and the mailbox login as authorization identity
/// (RFC 4616 section 2). The copy is found by its Message-ID, checked exactly in the envelope and
/// narrowed by delivery time and size, because the header is chosen by the sender.
/// Connection or server errors are reported as <see cref="StoreActionStatus.Failed"/>; retrying them
/// with back-off is left to a later version (TODO(issue 6): retry policy and per-store rate limits).
/// </summary>
public sealed class ImapStoreAdapter : IMailboxStoreAdapter
{
    /// <summary>Messages with the wanted Message-ID looked at, at most, in one folder.</summary>
    private const int MaxCandidates = 50;

    private const int MaxMessageIdLength = 998;

    /// <summary>
    /// How far a candidate's INTERNALDATE may be from the recorded delivery time. LMTP sets it at
    /// delivery and MOVE keeps it, so only clock differences between the hosts have to fit in here;
    /// an older message that merely reuses the Message-ID does not.
    /// </summary>
    private static readonly TimeSpan DeliveryTimeTolerance = TimeSpan.FromDays(1);

    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly ILogger<ImapStoreAdapter> _logger;

    public ImapStoreAdapter(IOptions<RetroRemediationOptions> options, ILogger<ImapStoreAdapter> logger)
    {
        _options = options;
        _logger = logger;
    }

    public MailboxStoreKind Kind => MailboxStoreKind.Imap;

    public Task<StoreActionResult> MoveToJunkAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        MoveAsync(record, toJunk: true, cancellationToken);

    public Task<StoreActionResult> RestoreAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        MoveAsync(record, toJunk: false, cancellationToken);

    public async Task<CopyLocation> LocateAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        if (!TryPrepare(record, out var login, out var refusal))
        {
            return new CopyLocation(CopyPlace.Unknown, refusal.Detail);
        }

        return await InSessionAsync(login, async client =>
        {
            var inbox = await GetInboxAsync(client, cancellationToken);
            if (await FindInAsync(inbox, FolderAccess.ReadOnly, record, cancellationToken) is not null)
            {
                return new CopyLocation(CopyPlace.Inbox, "in " + inbox.FullName);
            }

            var junk = await GetJunkAsync(client, login, create: false, cancellationToken);
            if (junk is not null
                && await FindInAsync(junk, FolderAccess.ReadOnly, record, cancellationToken) is not null)
            {
                return new CopyLocation(CopyPlace.Junk, "in " + junk.FullName);
            }

            return new CopyLocation(CopyPlace.Elsewhere, $"in neither {inbox.FullName} nor {junk?.FullName ?? "Junk"}");
        }, failure => new CopyLocation(CopyPlace.Unknown, failure), cancellationToken);
    }

    private async Task<StoreActionResult> MoveAsync(
        DeliveryRecord record, bool toJunk, CancellationToken cancellationToken)
    {
        if (!TryPrepare(record, out var login, out var refusal))
        {
            return refusal;
        }

        return await InSessionAsync(login, async client =>
        {
            var inbox = await GetInboxAsync(client, cancellationToken);
            var junk = await GetJunkAsync(client, login, create: toJunk, cancellationToken);
            if (junk is null)
            {
                // Restoring, and the mailbox has no Junk folder at all: the copy cannot be in it.
                return await FindInAsync(inbox, FolderAccess.ReadOnly, record, cancellationToken) is not null
                    ? StoreActionResult.AlreadyThere("already in " + inbox.FullName)
                    : StoreActionResult.NotFound("no Junk folder, and not in " + inbox.FullName);
            }

            var (source, target) = toJunk ? (inbox, junk) : (junk, inbox);
            var uid = await FindInAsync(source, FolderAccess.ReadWrite, record, cancellationToken);
            if (uid is null)
            {
                await source.CloseAsync(expunge: false, cancellationToken);
                return await FindInAsync(target, FolderAccess.ReadOnly, record, cancellationToken) is not null
                    ? StoreActionResult.AlreadyThere("already in " + target.FullName)
                    : StoreActionResult.NotFound($"in neither {source.FullName} nor {target.FullName}");
            }

            await MoveMessageAsync(client, login, source, uid.Value, target, cancellationToken);
            return StoreActionResult.Moved($"moved UID {uid.Value.Id} from {source.FullName} to {target.FullName}");
        }, StoreActionResult.Failed, cancellationToken);
    }

    /// <summary>Checks what can be checked without the network; a record that fails is refused for good.</summary>
    private bool TryPrepare(DeliveryRecord record, out string login, out StoreActionResult refusal)
    {
        login = "";
        refusal = default;
        var imap = _options.Value.Imap;
        if (!imap.IsConfigured)
        {
            // Not the record's fault: once the store is configured, a later event can act on it.
            refusal = StoreActionResult.Failed($"{RetroRemediationOptions.SectionName}:Imap:Host is not set");
            return false;
        }

        var messageId = record.MessageId.Trim();
        if (messageId.Length < 3 || messageId.Length > MaxMessageIdLength || messageId.Any(char.IsControl))
        {
            refusal = StoreActionResult.Refused("the record has no usable Message-ID to find the copy by");
            return false;
        }

        if (!EnvelopeAddress.TryParse(record.Recipient, out var recipient))
        {
            refusal = StoreActionResult.Refused("the recipient is not an address");
            return false;
        }

        login = ImapLoginName.Format(imap.LoginFormat, recipient);
        return true;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a logged-in session and always ends the session. Network and
    /// server errors become <paramref name="onFailure"/>; cancellation by the caller propagates.
    /// </summary>
    private async Task<T> InSessionAsync<T>(
        string login, Func<ImapClient, Task<T>> work, Func<string, T> onFailure, CancellationToken cancellationToken)
    {
        var imap = _options.Value.Imap;
        using var client = new ImapClient { Timeout = (int)imap.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(imap.Host, imap.Port, SocketOptions(imap), cancellationToken);
            var plain = new SaslMechanismPlain(imap.MasterUser, imap.ResolvedMasterPassword)
            {
                AuthorizationId = login,
            };
            await client.AuthenticateAsync(plain, cancellationToken);
            var result = await work(client);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return result;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Describe(ex, login) is { } failure)
        {
            ImapStoreLog.SessionFailed(_logger, imap.Host, imap.Port, login, ex);
            return onFailure(failure);
        }
    }

    private static SecureSocketOptions SocketOptions(ImapStoreOptions imap) => imap.Security switch
    {
        ImapSecurity.None => SecureSocketOptions.None,
        ImapSecurity.StartTls => SecureSocketOptions.StartTls,
        ImapSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => IsLoopback(imap.Host) ? SecureSocketOptions.None : SecureSocketOptions.StartTls,
    };

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>What went wrong, in words fit for the copy's last action; null for a bug (rethrown).</summary>
    private static string? Describe(Exception exception, string login) => exception switch
    {
        AuthenticationException => $"the store refused the master login for {login}",
        SslHandshakeException => "the TLS handshake with the store failed",
        ImapCommandException command => $"the store answered {command.Response}: {command.ResponseText}",
        ImapProtocolException => "the store broke the IMAP protocol or closed the connection",
        FolderNotFoundException folder => $"the folder {folder.FolderName} does not exist",
        SocketException socket => $"cannot reach the store: {socket.SocketErrorCode}",
        TimeoutException => "the store did not answer in time",
        OperationCanceledException => "the store did not answer in time",
        IOException io => $"the connection to the store failed: {io.Message}",
        ServiceNotConnectedException or ServiceNotAuthenticatedException => "the session with the store was lost",
        _ => null,
    };

    private async Task<IMailFolder> GetInboxAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var name = _options.Value.InboxFolder;
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        return await client.GetFolder(client.PersonalNamespaces[0]).GetSubfolderAsync(name, cancellationToken);
    }

    /// <summary>
    /// The Junk folder: the one marked \Junk (RFC 6154 SPECIAL-USE) if the server says so, else the
    /// configured name under the personal namespace, created (and subscribed) when missing and wanted.
    /// </summary>
    private async Task<IMailFolder?> GetJunkAsync(
        ImapClient client, string login, bool create, CancellationToken cancellationToken)
    {
        if ((client.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) != 0
            && client.GetFolder(SpecialFolder.Junk) is { } special)
        {
            return special;
        }

        var name = _options.Value.JunkFolder;
        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        try
        {
            return await personal.GetSubfolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException) when (create)
        {
            var created = await personal.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new FolderNotFoundException(name);
            await created.SubscribeAsync(cancellationToken);
            ImapStoreLog.JunkFolderCreated(_logger, created.FullName, login);
            return created;
        }
        catch (FolderNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens the folder and finds the copy: SEARCH HEADER Message-ID (a substring match, RFC 3501
    /// section 6.4.4), then the exact id from the envelope, INTERNALDATE near the delivery, and the
    /// size closest to the recorded one (the store adds its own trace headers) among what is left.
    /// </summary>
    private static async Task<UniqueId?> FindInAsync(
        IMailFolder folder, FolderAccess access, DeliveryRecord record, CancellationToken cancellationToken)
    {
        if (!folder.IsOpen || folder.Access < access)
        {
            await folder.OpenAsync(access, cancellationToken);
        }

        var messageId = record.MessageId.Trim();
        var uids = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken);
        if (uids.Count == 0)
        {
            return null;
        }

        var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Size
            | MessageSummaryItems.InternalDate;
        var summaries = await folder.FetchAsync(uids.Take(MaxCandidates).ToList(), items, cancellationToken);
        var wanted = BareMessageId(messageId);
        var deliveredAt = record.DeliveredAt?.ToDateTimeOffset();
        var best = summaries
            .Where(s => BareMessageId(s.Envelope?.MessageId) == wanted)
            .Where(s => deliveredAt is null || s.InternalDate is null
                || (s.InternalDate.Value - deliveredAt.Value).Duration() <= DeliveryTimeTolerance)
            .OrderBy(s => record.Size > 0 && s.Size is { } size ? Math.Abs((long)size - record.Size) : 0)
            .ThenBy(s => s.UniqueId.Id)
            .FirstOrDefault();
        return best?.UniqueId;
    }

    /// <summary>
    /// MOVE (RFC 6851) when offered. Otherwise COPY, \Deleted and UID EXPUNGE (RFC 4315) of just this
    /// message; without UIDPLUS a plain EXPUNGE would also purge what the user marked deleted, so the
    /// source copy is left flagged \Deleted instead.
    /// </summary>
    private async Task MoveMessageAsync(
        ImapClient client, string login, IMailFolder source, UniqueId uid, IMailFolder target,
        CancellationToken cancellationToken)
    {
        var uids = new[] { uid };
        if (client.Capabilities.HasFlag(ImapCapabilities.Move))
        {
            await source.MoveToAsync(uids, target, cancellationToken);
            return;
        }

        await source.CopyToAsync(uids, target, cancellationToken);
        await source.AddFlagsAsync(uid, MessageFlags.Deleted, silent: true, cancellationToken);
        if (client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            await source.ExpungeAsync(uids, cancellationToken);
        }
        else
        {
            ImapStoreLog.DeletedNotExpunged(_logger, login);
        }
    }

    private static string BareMessageId(string? value) => (value ?? "").Trim().TrimStart('<').TrimEnd('>');
}
