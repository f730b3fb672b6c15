using System.Net.Sockets;
using Gateway.Common.Mail;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using MailKit;
using StoreAction = Gateway.RetroRemediation.Configuration.StoreAction;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores.Imap;

/// <summary>
/// Acts on copies in an IMAP store (typically Dovecot, delivered to over LMTP), logged in as the master
/// user (or the domain's service account) on behalf of the copy's mailbox; sessions are reused per
/// mailbox (<see cref="ImapSessionPool"/>). The copy is found by its Message-ID, checked exactly in the
/// envelope and narrowed by delivery time and size, because the header is chosen by the sender. Moves
/// use UID MOVE (RFC 6851), else COPY, \Deleted and UID EXPUNGE (RFC 4315). A reused session that turns
/// out dead is replaced once; other network or server errors are <see cref="StoreActionStatus.Failed"/>
/// and the action is retried from the pending list.
/// </summary>
public sealed class ImapStoreAdapter : IMailboxStoreAdapter, IDisposable
{
    /// <summary>Messages with the wanted Message-ID looked at, at most, in one folder.</summary>
    private const int MaxCandidates = 50;

    private const int MaxMessageIdLength = 998;

    /// <summary>The keyword Flag sets beside \Flagged (RFC 5788 registry), so clients and filters see why.</summary>
    private const string JunkKeyword = "$Junk";

    /// <summary>
    /// How far a candidate's INTERNALDATE may be from the recorded delivery time. LMTP sets it at
    /// delivery and MOVE keeps it, so only clock differences between the hosts have to fit in here;
    /// an older message that merely reuses the Message-ID does not.
    /// </summary>
    private static readonly TimeSpan DeliveryTimeTolerance = TimeSpan.FromDays(1);

    /// <summary>How long a selection made by this session counts as current for the next copy.</summary>
    private static readonly TimeSpan FreshSelect = TimeSpan.FromSeconds(2);

    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly ImapSessionPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger<ImapStoreAdapter> _logger;

    public ImapStoreAdapter(
        IOptions<RetroRemediationOptions> options, TimeProvider time, ILogger<ImapStoreAdapter> logger)
    {
        _options = options;
        _pool = new ImapSessionPool(options, time);
        _time = time;
        _logger = logger;
    }

    public MailboxStoreKind Kind => MailboxStoreKind.Imap;

    public bool IsConfigured => _options.Value.Imap.IsConfigured;

    /// <summary>Idle sessions kept for reuse (for tests and metrics).</summary>
    internal int IdleSessions => _pool.IdleCount;

    public async Task<StoreActionResult> ApplyAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        if (!TryPrepare(command.Record, out var login, out var credentials, out var refusal))
        {
            return command.Operation == StoreOperation.Locate
                ? StoreActionResult.Located(CopyPlace.Unknown, refusal.Detail)
                : refusal;
        }

        // A reused session may have been closed by the server meanwhile (restart, idle logout): one
        // more try on a fresh session. The operations are idempotent, so a repeat is safe.
        for (var attempt = 1; ; attempt++)
        {
            var session = _pool.TakeIdle(login);
            var reused = session is not null;
            try
            {
                session ??= await _pool.OpenAsync(login, credentials, cancellationToken);
                var result = await OperateAsync(session, command, cancellationToken);
                _pool.Return(session, healthy: true);
                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Describe(ex, login) is { } failure)
            {
                if (session is not null)
                {
                    _pool.Return(session, healthy: false);
                }

                if (reused && attempt == 1 && IsLostConnection(ex))
                {
                    ImapStoreLog.ReusedSessionLost(_logger, login);
                    continue;
                }

                ImapStoreLog.SessionFailed(_logger, _options.Value.Imap.Host, _options.Value.Imap.Port, login, ex);
                return command.Operation == StoreOperation.Locate
                    ? StoreActionResult.Located(CopyPlace.Unknown, failure)
                    : StoreActionResult.Failed(failure);
            }
            catch
            {
                if (session is not null)
                {
                    _pool.Return(session, healthy: false);
                }

                throw;
            }
        }
    }

    public void Dispose() => _pool.Dispose();

    private async Task<StoreActionResult> OperateAsync(
        ImapSession session, StoreCommand command, CancellationToken cancellationToken)
    {
        var record = command.Record;
        session.CurrentEvent = command.EventId;
        var inbox = await GetInboxAsync(session.Client, record, cancellationToken);
        switch (command.Action)
        {
            case StoreAction.MoveToJunk or StoreAction.MoveToQuarantine:
                var create = command.Operation == StoreOperation.Remediate;
                var target = await GetTargetAsync(session, command.Action, create, cancellationToken);
                return command.Operation switch
                {
                    StoreOperation.Remediate =>
                        await MoveAsync(session, command, inbox, target!, true, cancellationToken),
                    StoreOperation.Undo when target is null =>
                        await FindAsync(session, inbox, FolderAccess.ReadOnly, record, cancellationToken) is not null
                        ? StoreActionResult.AlreadyDone("already in " + inbox.FullName)
                        : StoreActionResult.NotFound("no such target folder, and not in " + inbox.FullName),
                    StoreOperation.Undo => await MoveAsync(session, command, target, inbox, false, cancellationToken),
                    _ => await LocateMovedAsync(session, inbox, target, record, cancellationToken),
                };
            case StoreAction.Delete when command.Operation == StoreOperation.Remediate:
                return await DeleteAsync(session, command, inbox, cancellationToken);
            case StoreAction.Flag:
                return await FlagAsync(session, command, inbox, cancellationToken);
            default:
                return StoreActionResult.Refused($"{command.Operation} of {command.Action} is not possible");
        }
    }

    private async Task<StoreActionResult> MoveAsync(
        ImapSession session, StoreCommand command, IMailFolder source, IMailFolder target, bool remediate,
        CancellationToken cancellationToken)
    {
        var found = await FindAsync(session, source, FolderAccess.ReadWrite, command.Record, cancellationToken);
        if (found is null)
        {
            var atTarget = await FindAsync(session, target, FolderAccess.ReadOnly, command.Record, cancellationToken);
            return atTarget is not null
                ? StoreActionResult.AlreadyDone("already in " + target.FullName)
                : StoreActionResult.NotFound($"in neither {source.FullName} nor {target.FullName}");
        }

        if (remediate && command.OnlyUnread && found.Flags is { } flags && flags.HasFlag(MessageFlags.Seen))
        {
            return StoreActionResult.SkippedRead($"read already (\\Seen in {source.FullName})");
        }

        await MoveMessageAsync(session, source, found.UniqueId, target, cancellationToken);
        return StoreActionResult.Done($"moved UID {found.UniqueId.Id} from {source.FullName} to {target.FullName}");
    }

    private async Task<StoreActionResult> LocateMovedAsync(
        ImapSession session, IMailFolder inbox, IMailFolder? target, DeliveryRecord record,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(session, inbox, FolderAccess.ReadOnly, record, cancellationToken) is not null)
        {
            return StoreActionResult.Located(CopyPlace.Inbox, "in " + inbox.FullName);
        }

        if (target is not null
            && await FindAsync(session, target, FolderAccess.ReadOnly, record, cancellationToken) is not null)
        {
            return StoreActionResult.Located(CopyPlace.Remediated, "in " + target.FullName);
        }

        return StoreActionResult.Located(
            CopyPlace.Elsewhere, $"in neither {inbox.FullName} nor {target?.FullName ?? "the target folder"}");
    }

    /// <summary>\Deleted and UID EXPUNGE of just this message (RFC 4315); without UIDPLUS it stays flagged.</summary>
    private async Task<StoreActionResult> DeleteAsync(
        ImapSession session, StoreCommand command, IMailFolder inbox, CancellationToken cancellationToken)
    {
        var found = await FindAsync(session, inbox, FolderAccess.ReadWrite, command.Record, cancellationToken);
        if (found is null)
        {
            return StoreActionResult.NotFound("not in " + inbox.FullName);
        }

        if (command.OnlyUnread && found.Flags is { } flags && flags.HasFlag(MessageFlags.Seen))
        {
            return StoreActionResult.SkippedRead($"read already (\\Seen in {inbox.FullName})");
        }

        await inbox.StoreAsync(found.UniqueId,
            new StoreFlagsRequest(MailKit.StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
        if (!session.Client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            ImapStoreLog.DeletedNotExpunged(_logger, session.Login);
            return StoreActionResult.Done(
                $"flagged UID {found.UniqueId.Id} \\Deleted (no UIDPLUS to expunge it alone)");
        }

        await inbox.ExpungeAsync([found.UniqueId], cancellationToken);
        return StoreActionResult.Done($"deleted UID {found.UniqueId.Id} from {inbox.FullName}");
    }

    /// <summary>
    /// Flag adds \Flagged and $Junk (where the folder allows keywords); its undo removes only what it added.
    /// </summary>
    private async Task<StoreActionResult> FlagAsync(
        ImapSession session, StoreCommand command, IMailFolder inbox, CancellationToken cancellationToken)
    {
        var access = command.Operation == StoreOperation.Locate ? FolderAccess.ReadOnly : FolderAccess.ReadWrite;
        var found = await FindAsync(session, inbox, access, command.Record, cancellationToken);
        if (found is null)
        {
            return command.Operation == StoreOperation.Locate
                ? StoreActionResult.Located(CopyPlace.Elsewhere, "not in " + inbox.FullName)
                : StoreActionResult.NotFound("not in " + inbox.FullName);
        }

        var flags = found.Flags ?? MessageFlags.None;
        var flagged = flags.HasFlag(MessageFlags.Flagged);
        var junk = found.Keywords?.Contains(JunkKeyword) == true;
        switch (command.Operation)
        {
            case StoreOperation.Remediate:
                if (command.OnlyUnread && flags.HasFlag(MessageFlags.Seen))
                {
                    return StoreActionResult.SkippedRead($"read already (\\Seen in {inbox.FullName})");
                }

                var keywordsAllowed = inbox.PermanentFlags.HasFlag(MessageFlags.UserDefined)
                    || inbox.PermanentKeywords.Contains(JunkKeyword);
                var add = (flagged ? StoreFlags.None : StoreFlags.Flagged)
                    | (junk || !keywordsAllowed ? StoreFlags.None : StoreFlags.Junk);
                if (add == StoreFlags.None)
                {
                    return StoreActionResult.AlreadyDone("flagged already");
                }

                await inbox.StoreAsync(found.UniqueId, FlagsRequest(MailKit.StoreAction.Add, add), cancellationToken);
                return StoreActionResult.Done($"flagged UID {found.UniqueId.Id} in {inbox.FullName}", add);

            case StoreOperation.Undo:
                var remove = command.FlagsAdded & ((flagged ? StoreFlags.Flagged : 0) | (junk ? StoreFlags.Junk : 0));
                if (!flagged && !junk)
                {
                    return StoreActionResult.AlreadyDone("not flagged any more");
                }

                if (remove != StoreFlags.None)
                {
                    await inbox.StoreAsync(found.UniqueId, FlagsRequest(MailKit.StoreAction.Remove, remove),
                        cancellationToken);
                }

                return StoreActionResult.Done($"removed our flags from UID {found.UniqueId.Id}");

            default:
                var ours = command.FlagsAdded == StoreFlags.None ? StoreFlags.Flagged : command.FlagsAdded;
                var still = ((ours & StoreFlags.Flagged) != 0 && flagged) || ((ours & StoreFlags.Junk) != 0 && junk);
                return still
                    ? StoreActionResult.Located(CopyPlace.Remediated, "still flagged")
                    : StoreActionResult.Located(CopyPlace.Inbox, "the user removed the flags");
        }
    }

    private static StoreFlagsRequest FlagsRequest(MailKit.StoreAction action, StoreFlags flags)
    {
        var request = new StoreFlagsRequest(
            action, (flags & StoreFlags.Flagged) != 0 ? MessageFlags.Flagged : MessageFlags.None) { Silent = true };
        if ((flags & StoreFlags.Junk) != 0)
        {
            request.Keywords.Add(JunkKeyword);
        }

        return request;
    }

    /// <summary>Checks what can be checked without the network; a record that fails is refused for good.</summary>
    private bool TryPrepare(
        DeliveryRecord record, out string login, out ImapCredentials credentials, out StoreActionResult refusal)
    {
        login = "";
        credentials = null!;
        refusal = default;
        var imap = _options.Value.Imap;
        if (!imap.IsConfigured)
        {
            // Not the record's fault: once the store is configured, a retry can act on it.
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

        login = LoginNameFormat.Format(imap.LoginFormat, recipient);
        var account = imap.DomainAccounts.FirstOrDefault(
            a => string.Equals(a.Domain.TrimEnd('.'), recipient.Domain, StringComparison.OrdinalIgnoreCase));
        credentials = account is not null
            ? new ImapCredentials(account.MasterUser, account.ResolvedMasterPassword)
            : new ImapCredentials(imap.MasterUser, imap.ResolvedMasterPassword);
        return true;
    }

    private static bool IsLostConnection(Exception exception) => exception is ImapProtocolException or IOException
        or SocketException or ServiceNotConnectedException or ServiceNotAuthenticatedException;

    /// <summary>What went wrong, in words fit for the audit; null for a bug (rethrown).</summary>
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

    private async Task<IMailFolder> GetInboxAsync(ImapClient client, DeliveryRecord record, CancellationToken token)
    {
        var name = string.IsNullOrEmpty(record.Folder) ? _options.Value.InboxFolder : record.Folder;
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        return await client.GetFolder(client.PersonalNamespaces[0]).GetSubfolderAsync(name, token);
    }

    /// <summary>
    /// The Junk folder (the one marked \Junk by RFC 6154 SPECIAL-USE if the server says so, else the
    /// configured name) or the quarantine folder, created (and subscribed) when missing and wanted.
    /// Resolved once per session.
    /// </summary>
    private async Task<IMailFolder?> GetTargetAsync(
        ImapSession session, StoreAction action, bool create, CancellationToken cancellationToken)
    {
        var client = session.Client;
        var name = action == StoreAction.MoveToJunk ? _options.Value.JunkFolder : _options.Value.QuarantineFolder;
        if (session.Folders.TryGetValue(name, out var cached))
        {
            return cached;
        }

        if (action == StoreAction.MoveToJunk
            && (client.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) != 0
            && client.GetFolder(SpecialFolder.Junk) is { } special)
        {
            return session.Folders[name] = special;
        }

        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        try
        {
            return session.Folders[name] = await personal.GetSubfolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException) when (create)
        {
            var created = await personal.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new FolderNotFoundException(name);
            await created.SubscribeAsync(cancellationToken);
            ImapStoreLog.FolderCreated(_logger, created.FullName, session.Login);
            return session.Folders[name] = created;
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
    private async Task<IMessageSummary?> FindAsync(
        ImapSession session, IMailFolder folder, FolderAccess access, DeliveryRecord record,
        CancellationToken cancellationToken)
    {
        // Select again unless this session selected the folder for the same event moments ago (the copies
        // of one mailbox are acted on back to back): a server may not show changes made by other sessions
        // (the user's client) until the folder is selected again.
        var now = _time.GetUtcNow();
        var mark = (folder.FullName, session.CurrentEvent);
        if (!folder.IsOpen || folder.Access < access || session.Selected != mark
            || now - session.SelectedAt > FreshSelect)
        {
            await folder.OpenAsync(folder.IsOpen && folder.Access > access ? folder.Access : access, cancellationToken);
            session.Selected = mark;
            session.SelectedAt = now;
        }

        var messageId = record.MessageId.Trim();
        var uids = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken);
        if (uids.Count == 0)
        {
            return null;
        }

        var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Size
            | MessageSummaryItems.InternalDate | MessageSummaryItems.Flags;
        var summaries = await folder.FetchAsync(uids.Take(MaxCandidates).ToList(), items, cancellationToken);
        var wanted = BareMessageId(messageId);
        var deliveredAt = record.DeliveredAt?.ToDateTimeOffset();
        return summaries
            .Where(s => BareMessageId(s.Envelope?.MessageId) == wanted)
            .Where(s => deliveredAt is null || s.InternalDate is null
                || (s.InternalDate.Value - deliveredAt.Value).Duration() <= DeliveryTimeTolerance)
            .OrderBy(s => record.Size > 0 && s.Size is { } size ? Math.Abs((long)size - record.Size) : 0)
            .ThenBy(s => s.UniqueId.Id)
            .FirstOrDefault();
    }

    /// <summary>
    /// MOVE (RFC 6851) when offered. Otherwise COPY, \Deleted and UID EXPUNGE (RFC 4315) of just this
    /// message; without UIDPLUS a plain EXPUNGE would also purge what the user marked deleted, so the
    /// source copy is left flagged \Deleted instead.
    /// </summary>
    private async Task MoveMessageAsync(
        ImapSession session, IMailFolder source, UniqueId uid, IMailFolder target, CancellationToken cancellationToken)
    {
        var uids = new[] { uid };
        var client = session.Client;
        if (client.Capabilities.HasFlag(ImapCapabilities.Move))
        {
            await source.MoveToAsync(uids, target, cancellationToken);
            return;
        }

        await source.CopyToAsync(uids, target, cancellationToken);
        var deleted = new StoreFlagsRequest(MailKit.StoreAction.Add, MessageFlags.Deleted) { Silent = true };
        await source.StoreAsync(uid, deleted, cancellationToken);
        if (client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            await source.ExpungeAsync(uids, cancellationToken);
        }
        else
        {
            ImapStoreLog.DeletedNotExpunged(_logger, session.Login);
        }
    }

    private static string BareMessageId(string? value) => (value ?? "").Trim().TrimStart('<').TrimEnd('>');
}
