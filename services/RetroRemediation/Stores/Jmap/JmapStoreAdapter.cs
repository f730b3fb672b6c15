using System.Text.Json.Nodes;
using Gateway.Common.Mail;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores.Jmap;

/// <summary>
/// Acts on copies in a JMAP store (RFC 8620, RFC 8621). The copy is found with Email/query filtered by
/// its Message-ID header (RFC 8621 section 4.4.1) and Email/get of the candidates, which are narrowed
/// like over IMAP: exact Message-ID, receivedAt near the delivery, size closest. Moves and flags are
/// Email/set patches of <c>mailboxIds</c> and <c>keywords</c> (RFC 8620 section 5.3), which change only
/// the named entries, so the user's other mailboxes and keywords stay as they are. Mailboxes are found
/// by role (inbox, junk) or by name; the quarantine mailbox is created when missing.
/// </summary>
public sealed class JmapStoreAdapter : IMailboxStoreAdapter, IDisposable
{
    private const int MaxCandidates = 50;
    private const int MaxMessageIdLength = 998;
    private const string SeenKeyword = "$seen";
    private const string FlaggedKeyword = "$flagged";
    private const string JunkKeyword = "$junk";

    private static readonly TimeSpan DeliveryTimeTolerance = TimeSpan.FromDays(1);

    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly JmapClient _client;
    private readonly ILogger<JmapStoreAdapter> _logger;

    public JmapStoreAdapter(
        IOptions<RetroRemediationOptions> options, TimeProvider time, ILogger<JmapStoreAdapter> logger)
    {
        _options = options;
        _client = new JmapClient(options, time);
        _logger = logger;
    }

    public MailboxStoreKind Kind => MailboxStoreKind.Jmap;

    public bool IsConfigured => _options.Value.Jmap.IsConfigured;

    public async Task<StoreActionResult> ApplyAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        var record = command.Record;
        var bareId = record.MessageId.Trim().TrimStart('<').TrimEnd('>');
        if (bareId.Length is < 1 or > MaxMessageIdLength || bareId.Any(char.IsControl))
        {
            return Fail(command, StoreActionResult.Refused("the record has no usable Message-ID to find the copy by"));
        }

        if (!EnvelopeAddress.TryParse(record.Recipient, out var recipient))
        {
            return Fail(command, StoreActionResult.Refused("the recipient is not an address"));
        }

        var jmap = _options.Value.Jmap;
        var login = string.IsNullOrEmpty(jmap.LoginFormat) ? "" : LoginNameFormat.Format(jmap.LoginFormat, recipient);
        JmapAccount? account = null;
        try
        {
            account = await _client.GetAccountAsync(login, recipient.MailboxAddress, cancellationToken);
            return await OperateAsync(account, command, bareId, cancellationToken);
        }
        catch (JmapException ex)
        {
            if (account is not null)
            {
                _client.Forget(account);
            }

            JmapStoreLog.RequestFailed(_logger, recipient.MailboxAddress, ex.Message);
            return Fail(command, StoreActionResult.Failed(ex.Message));
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<StoreActionResult> OperateAsync(
        JmapAccount account, StoreCommand command, string bareId, CancellationToken cancellationToken)
    {
        var mailboxes = await GetMailboxesAsync(account, cancellationToken);
        var inboxName = string.IsNullOrEmpty(command.Record.Folder)
            ? _options.Value.InboxFolder
            : command.Record.Folder;
        var inbox = string.Equals(inboxName, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? mailboxes.GetValueOrDefault("role:inbox")
            : mailboxes.GetValueOrDefault("name:" + inboxName);
        if (inbox is null)
        {
            throw new JmapException($"the account has no mailbox {inboxName}");
        }

        var email = await FindAsync(account, command.Record, bareId, cancellationToken);
        var inInbox = email?.MailboxIds.Contains(inbox) == true;
        switch (command.Action)
        {
            case StoreAction.MoveToJunk or StoreAction.MoveToQuarantine:
                var target = command.Action == StoreAction.MoveToJunk
                    ? mailboxes.GetValueOrDefault("role:junk")
                        ?? mailboxes.GetValueOrDefault("name:" + _options.Value.JunkFolder)
                    : mailboxes.GetValueOrDefault("name:" + _options.Value.QuarantineFolder);
                var inTarget = target is not null && email?.MailboxIds.Contains(target) == true;
                if (command.Operation == StoreOperation.Locate)
                {
                    return inInbox ? StoreActionResult.Located(CopyPlace.Inbox, "in the inbox")
                        : inTarget ? StoreActionResult.Located(CopyPlace.Remediated, "in the target mailbox")
                        : StoreActionResult.Located(CopyPlace.Elsewhere, "in neither the inbox nor the target mailbox");
                }

                var remediate = command.Operation == StoreOperation.Remediate;
                var (from, fromIn, to, toIn) = remediate
                    ? (inbox, inInbox, target, inTarget)
                    : (target, inTarget, inbox, inInbox);
                if (email is null || !fromIn)
                {
                    return toIn ? StoreActionResult.AlreadyDone("already there")
                        : StoreActionResult.NotFound("in neither the inbox nor the target mailbox");
                }

                if (remediate && command.OnlyUnread && email.Keywords.Contains(SeenKeyword))
                {
                    return StoreActionResult.SkippedRead("read already ($seen)");
                }

                to ??= await CreateMailboxAsync(account, _options.Value.QuarantineFolder, cancellationToken);
                await UpdateAsync(account, email.Id, new JsonObject
                {
                    ["mailboxIds/" + from] = null,
                    ["mailboxIds/" + to] = true,
                }, cancellationToken);
                return StoreActionResult.Done($"moved email {email.Id}");

            case StoreAction.Delete when command.Operation == StoreOperation.Remediate:
                if (email is null || !inInbox)
                {
                    return StoreActionResult.NotFound("not in the inbox");
                }

                if (command.OnlyUnread && email.Keywords.Contains(SeenKeyword))
                {
                    return StoreActionResult.SkippedRead("read already ($seen)");
                }

                await DestroyAsync(account, email.Id, cancellationToken);
                return StoreActionResult.Done($"destroyed email {email.Id}");

            case StoreAction.Flag:
                return await FlagAsync(account, command, email, inInbox, cancellationToken);

            default:
                return StoreActionResult.Refused($"{command.Operation} of {command.Action} is not possible");
        }
    }

    private async Task<StoreActionResult> FlagAsync(
        JmapAccount account, StoreCommand command, JmapEmail? email, bool inInbox, CancellationToken cancellationToken)
    {
        if (email is null || !inInbox)
        {
            return command.Operation == StoreOperation.Locate
                ? StoreActionResult.Located(CopyPlace.Elsewhere, "not in the inbox")
                : StoreActionResult.NotFound("not in the inbox");
        }

        var flagged = email.Keywords.Contains(FlaggedKeyword);
        var junk = email.Keywords.Contains(JunkKeyword);
        switch (command.Operation)
        {
            case StoreOperation.Remediate:
                if (command.OnlyUnread && email.Keywords.Contains(SeenKeyword))
                {
                    return StoreActionResult.SkippedRead("read already ($seen)");
                }

                var add = (flagged ? StoreFlags.None : StoreFlags.Flagged) | (junk ? StoreFlags.None : StoreFlags.Junk);
                if (add == StoreFlags.None)
                {
                    return StoreActionResult.AlreadyDone("flagged already");
                }

                await UpdateAsync(account, email.Id, KeywordPatch(add, true), cancellationToken);
                return StoreActionResult.Done($"flagged email {email.Id}", add);

            case StoreOperation.Undo:
                if (!flagged && !junk)
                {
                    return StoreActionResult.AlreadyDone("not flagged any more");
                }

                var remove = command.FlagsAdded & ((flagged ? StoreFlags.Flagged : 0) | (junk ? StoreFlags.Junk : 0));
                if (remove != StoreFlags.None)
                {
                    await UpdateAsync(account, email.Id, KeywordPatch(remove, false), cancellationToken);
                }

                return StoreActionResult.Done($"removed our keywords from email {email.Id}");

            default:
                var ours = command.FlagsAdded == StoreFlags.None ? StoreFlags.Flagged : command.FlagsAdded;
                var still = ((ours & StoreFlags.Flagged) != 0 && flagged) || ((ours & StoreFlags.Junk) != 0 && junk);
                return still
                    ? StoreActionResult.Located(CopyPlace.Remediated, "still flagged")
                    : StoreActionResult.Located(CopyPlace.Inbox, "the user removed the flags");
        }
    }

    private static JsonObject KeywordPatch(StoreFlags flags, bool set)
    {
        var patch = new JsonObject();
        if ((flags & StoreFlags.Flagged) != 0)
        {
            patch["keywords/" + FlaggedKeyword] = set ? true : null;
        }

        if ((flags & StoreFlags.Junk) != 0)
        {
            patch["keywords/" + JunkKeyword] = set ? true : null;
        }

        return patch;
    }

    /// <summary>
    /// Email/query by the Message-ID header, then Email/get of the candidates in the same request (a back-reference).
    /// </summary>
    private async Task<JmapEmail?> FindAsync(
        JmapAccount account, DeliveryRecord record, string bareId, CancellationToken cancellationToken)
    {
        var calls = new JsonArray(
            new JsonArray("Email/query", new JsonObject
            {
                ["accountId"] = account.AccountId,
                ["filter"] = new JsonObject { ["header"] = new JsonArray("Message-ID", "<" + bareId + ">") },
                ["limit"] = MaxCandidates,
            }, "q"),
            new JsonArray("Email/get", new JsonObject
            {
                ["accountId"] = account.AccountId,
                ["#ids"] = new JsonObject { ["resultOf"] = "q", ["name"] = "Email/query", ["path"] = "/ids" },
                ["properties"] = new JsonArray("id", "mailboxIds", "keywords", "size", "receivedAt", "messageId"),
            }, "g"));
        var responses = await _client.CallAsync(account, calls, cancellationToken);
        var list = responses.GetValueOrDefault("g")?["list"] as JsonArray
            ?? throw new JmapException("Email/get answered no list");
        var deliveredAt = record.DeliveredAt?.ToDateTimeOffset();
        return list.OfType<JsonObject>()
            .Select(JmapEmail.From)
            .Where(e => e is not null && e.MessageIds.Contains(bareId))
            .Where(e => deliveredAt is null || e!.ReceivedAt is null
                || (e.ReceivedAt.Value - deliveredAt.Value).Duration() <= DeliveryTimeTolerance)
            .OrderBy(e => record.Size > 0 ? Math.Abs(e!.Size - record.Size) : 0)
            .ThenBy(e => e!.Id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Mailbox/get of all mailboxes, once per session: ids by role and by top-level name.</summary>
    private async Task<Dictionary<string, string>> GetMailboxesAsync(JmapAccount account, CancellationToken token)
    {
        if (account.Mailboxes is { } known)
        {
            return known;
        }

        var calls = new JsonArray(new JsonArray("Mailbox/get", new JsonObject
        {
            ["accountId"] = account.AccountId,
            ["ids"] = null,
            ["properties"] = new JsonArray("id", "name", "role", "parentId"),
        }, "m"));
        var responses = await _client.CallAsync(account, calls, token);
        var list = responses.GetValueOrDefault("m")?["list"] as JsonArray
            ?? throw new JmapException("Mailbox/get answered no list");
        var mailboxes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var mailbox in list.OfType<JsonObject>())
        {
            var id = JmapJson.String(mailbox["id"]);
            if (id is null)
            {
                continue;
            }

            if (JmapJson.String(mailbox["role"]) is { } role)
            {
                mailboxes.TryAdd("role:" + role, id);
            }

            if (JmapJson.String(mailbox["name"]) is { } name && mailbox["parentId"] is null)
            {
                mailboxes.TryAdd("name:" + name, id);
            }
        }

        account.Mailboxes = mailboxes;
        return mailboxes;
    }

    private async Task<string> CreateMailboxAsync(JmapAccount account, string name, CancellationToken token)
    {
        var calls = new JsonArray(new JsonArray("Mailbox/set", new JsonObject
        {
            ["accountId"] = account.AccountId,
            ["create"] = new JsonObject { ["q"] = new JsonObject { ["name"] = name, ["parentId"] = null } },
        }, "c"));
        var responses = await _client.CallAsync(account, calls, token);
        var created = (responses.GetValueOrDefault("c")?["created"] as JsonObject)?["q"] as JsonObject;
        var id = JmapJson.String(created?["id"])
            ?? throw new JmapException($"Mailbox/set did not create {name}");
        account.Mailboxes?.TryAdd("name:" + name, id);
        JmapStoreLog.MailboxCreated(_logger, name, account.AccountId);
        return id;
    }

    private async Task UpdateAsync(JmapAccount account, string emailId, JsonObject patch, CancellationToken token)
    {
        var calls = new JsonArray(new JsonArray("Email/set", new JsonObject
        {
            ["accountId"] = account.AccountId,
            ["update"] = new JsonObject { [emailId] = patch },
        }, "s"));
        var set = (await _client.CallAsync(account, calls, token)).GetValueOrDefault("s");
        if ((set?["updated"] as JsonObject)?.ContainsKey(emailId) != true)
        {
            var error = (set?["notUpdated"] as JsonObject)?[emailId] as JsonObject;
            var why = JmapJson.String(error?["type"]) ?? "no answer";
            throw new JmapException($"Email/set did not update the email: {why}");
        }
    }

    private async Task DestroyAsync(JmapAccount account, string emailId, CancellationToken token)
    {
        var calls = new JsonArray(new JsonArray("Email/set", new JsonObject
        {
            ["accountId"] = account.AccountId,
            ["destroy"] = new JsonArray(emailId),
        }, "d"));
        var set = (await _client.CallAsync(account, calls, token)).GetValueOrDefault("d");
        if (set?["destroyed"] is not JsonArray destroyed || !destroyed.Any(n => JmapJson.String(n) == emailId))
        {
            var error = (set?["notDestroyed"] as JsonObject)?[emailId] as JsonObject;
            var why = JmapJson.String(error?["type"]) ?? "no answer";
            throw new JmapException($"Email/set did not destroy the email: {why}");
        }
    }

    private static StoreActionResult Fail(StoreCommand command, StoreActionResult result) =>
        command.Operation == StoreOperation.Locate
            ? StoreActionResult.Located(CopyPlace.Unknown, result.Detail)
            : result;
}
