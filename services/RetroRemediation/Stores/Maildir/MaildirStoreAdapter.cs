using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores.Maildir;

/// <summary>
/// Acts on copies inside a Maildir++ tree written by the edge: the inbox is the user's Maildir itself,
/// Junk and quarantine are its subfolders (<c>.Junk</c>, <c>.Quarantine</c>). A move is one rename(2)
/// within the tree, so it is atomic and keeps the file name, and with it the flags the user's client
/// set (the ":2,..." info). Files are found by their unique base name in new/ and cur/, since a client
/// may have moved them from new/ to cur/ and added flags since delivery. Symbolic links anywhere below
/// the root are refused, so a hostile record or tree cannot make the gateway touch files outside the mailbox.
/// </summary>
public sealed class MaildirStoreAdapter : IMailboxStoreAdapter
{
    private static readonly string[] SubDirs = ["new", "cur"];

    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly ILogger<MaildirStoreAdapter> _logger;

    public MaildirStoreAdapter(IOptions<RetroRemediationOptions> options, ILogger<MaildirStoreAdapter> logger)
    {
        _options = options;
        _logger = logger;
    }

    public MailboxStoreKind Kind => MailboxStoreKind.Maildir;

    public bool IsConfigured => true;

    public Task<StoreActionResult> ApplyAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Apply(command));
    }

    private StoreActionResult Apply(StoreCommand command)
    {
        if (!TryOpen(command.Record, out var path, out var refusal))
        {
            return command.Operation == StoreOperation.Locate && refusal.Status == StoreActionStatus.NotFound
                ? StoreActionResult.Located(CopyPlace.Elsewhere, refusal.Detail)
                : refusal;
        }

        var inbox = new Folder("INBOX", path.Maildir);
        var isMove = command.Action is StoreAction.MoveToJunk or StoreAction.MoveToQuarantine;
        var targetName = command.Action == StoreAction.MoveToQuarantine
            ? _options.Value.QuarantineFolder
            : _options.Value.JunkFolder;
        var target = new Folder(targetName, Path.Combine(path.Maildir, "." + targetName));
        if (isMove && IsUnsafeDirectory(target.Dir))
        {
            return Refuse(command.Record, "a Maildir folder is a symbolic link or a file");
        }

        return (command.Operation, isMove) switch
        {
            (StoreOperation.Remediate, true) => Move(command, path, inbox, target, remediate: true),
            (StoreOperation.Undo, true) => Move(command, path, target, inbox, remediate: false),
            (StoreOperation.Locate, true) => LocateMoved(path, inbox, target),
            (StoreOperation.Remediate, false) when command.Action == StoreAction.Delete => Delete(command, path, inbox),
            (StoreOperation.Remediate, false) => Flag(command, path, inbox),
            (StoreOperation.Undo, false) when command.Action == StoreAction.Flag => Unflag(command, path, inbox),
            (StoreOperation.Locate, false) when command.Action == StoreAction.Flag => LocateFlagged(path, inbox),
            _ => StoreActionResult.Refused($"{command.Operation} of {command.Action} is not possible"),
        };
    }

    private StoreActionResult Move(
        StoreCommand command, MaildirCopyPath path, Folder source, Folder target, bool remediate)
    {
        // Step 1: find the file where the move starts; if it is not there, say where it is instead.
        var found = Find(path, source.Dir, out var problem);
        if (problem is not null)
        {
            return Refuse(command.Record, problem);
        }

        if (found is null)
        {
            var atTarget = Find(path, target.Dir, out problem);
            return problem is not null ? Refuse(command.Record, problem)
                : atTarget is not null ? StoreActionResult.AlreadyDone($"already in {target.Name}")
                : StoreActionResult.NotFound($"in neither {source.Name} nor {target.Name}");
        }

        var (subDir, fileName) = found.Value;
        if (remediate && command.OnlyUnread && MaildirInfo.IsSeen(subDir, fileName))
        {
            return StoreActionResult.SkippedRead($"read already (in {source.Name}/{subDir}, flag S)");
        }

        try
        {
            // Step 2: make sure the target folder exists (Junk or quarantine may be missing; INBOX never is).
            if (remediate)
            {
                EnsureFolder(path.Maildir, target);
            }

            // Step 3: rename, keeping new/ or cur/ and the flags; never overwrite.
            var from = Path.Combine(source.Dir, subDir, fileName);
            var to = Path.Combine(target.Dir, subDir, fileName);
            if (File.Exists(to) || Directory.Exists(to))
            {
                return StoreActionResult.Failed($"{target.Name}/{subDir} already holds a file of the same name");
            }

            File.Move(from, to, overwrite: false);
            return StoreActionResult.Done($"moved from {source.Name}/{subDir} to {target.Name}/{subDir}");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // The user's client moved or deleted it between our look and our rename.
            return StoreActionResult.NotFound($"gone from {source.Name} while moving it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StoreActionResult.Failed($"the move failed: {ex.Message}");
        }
    }

    private StoreActionResult Delete(StoreCommand command, MaildirCopyPath path, Folder inbox)
    {
        if (FindToRemediate(command, path, inbox, out var file) is { } early)
        {
            return early;
        }

        try
        {
            File.Delete(Path.Combine(inbox.Dir, file.SubDir, file.FileName));
            return StoreActionResult.Done($"deleted from INBOX/{file.SubDir}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StoreActionResult.Failed($"the delete failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Adds the F (flagged) info flag. A file in new/ has no info yet (Maildir rules), so it moves to cur/
    /// with ":2,F", which also makes clients show it as no longer recent.
    /// </summary>
    private StoreActionResult Flag(StoreCommand command, MaildirCopyPath path, Folder inbox)
    {
        if (FindToRemediate(command, path, inbox, out var file) is { } early)
        {
            return early;
        }

        if (MaildirInfo.HasFlag(file.SubDir, file.FileName, 'F'))
        {
            return StoreActionResult.AlreadyDone("flagged already");
        }

        return Rename(inbox, file, "cur", MaildirInfo.WithFlag(file.FileName, 'F', add: true), "flagged (F)",
            StoreFlags.Flagged);
    }

    private StoreActionResult Unflag(StoreCommand command, MaildirCopyPath path, Folder inbox)
    {
        var found = Find(path, inbox.Dir, out var problem);
        if (problem is not null)
        {
            return Refuse(command.Record, problem);
        }

        if (found is not { } file)
        {
            return StoreActionResult.NotFound("not in INBOX");
        }

        if (!MaildirInfo.HasFlag(file.SubDir, file.FileName, 'F'))
        {
            return StoreActionResult.AlreadyDone("not flagged any more");
        }

        if ((command.FlagsAdded & StoreFlags.Flagged) == 0)
        {
            return StoreActionResult.Done("left the F flag, which the user had set");
        }

        return Rename(inbox, file, file.SubDir, MaildirInfo.WithFlag(file.FileName, 'F', add: false), "unflagged");
    }

    private static StoreActionResult Rename(
        Folder folder, (string SubDir, string FileName) file, string toSubDir, string toName, string done,
        StoreFlags added = StoreFlags.None)
    {
        var from = Path.Combine(folder.Dir, file.SubDir, file.FileName);
        var to = Path.Combine(folder.Dir, toSubDir, toName);
        try
        {
            if (File.Exists(to))
            {
                return StoreActionResult.Failed($"{folder.Name}/{toSubDir} already holds a file of the same name");
            }

            File.Move(from, to, overwrite: false);
            return StoreActionResult.Done(done, added);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return StoreActionResult.NotFound($"gone from {folder.Name} while renaming it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StoreActionResult.Failed($"the rename failed: {ex.Message}");
        }
    }

    private static StoreActionResult LocateMoved(MaildirCopyPath path, Folder inbox, Folder target)
    {
        var inInbox = Find(path, inbox.Dir, out var problem);
        if (problem is not null)
        {
            return StoreActionResult.Located(CopyPlace.Unknown, problem);
        }

        if (inInbox is not null)
        {
            return StoreActionResult.Located(CopyPlace.Inbox, $"in INBOX/{inInbox.Value.SubDir}");
        }

        var inTarget = Find(path, target.Dir, out problem);
        return problem is not null ? StoreActionResult.Located(CopyPlace.Unknown, problem)
            : inTarget is not null
                ? StoreActionResult.Located(CopyPlace.Remediated, $"in {target.Name}/{inTarget.Value.SubDir}")
            : StoreActionResult.Located(CopyPlace.Elsewhere, $"in neither INBOX nor {target.Name}");
    }

    private static StoreActionResult LocateFlagged(MaildirCopyPath path, Folder inbox)
    {
        var found = Find(path, inbox.Dir, out var problem);
        return problem is not null ? StoreActionResult.Located(CopyPlace.Unknown, problem)
            : found is not { } file ? StoreActionResult.Located(CopyPlace.Elsewhere, "not in INBOX")
            : MaildirInfo.HasFlag(file.SubDir, file.FileName, 'F')
                ? StoreActionResult.Located(CopyPlace.Remediated, "still flagged")
                : StoreActionResult.Located(CopyPlace.Inbox, "the user removed the flag");
    }

    /// <summary>Resolves the record and checks the directories it leads to, before any file is looked at.</summary>
    private bool TryOpen(DeliveryRecord record, out MaildirCopyPath path, out StoreActionResult refusal)
    {
        refusal = default;
        if (!MaildirCopyPath.TryResolve(record, _options.Value.MaildirRoot, out path, out var reason))
        {
            refusal = Refuse(record, reason);
            return false;
        }

        foreach (var dir in new[] { path.DomainDir, path.Maildir })
        {
            var info = new DirectoryInfo(dir);
            if (info.LinkTarget is not null)
            {
                refusal = Refuse(record, "a directory on the way is a symbolic link");
                return false;
            }

            if (!info.Exists)
            {
                refusal = File.Exists(dir) ? Refuse(record, "a directory on the way is a file")
                    : StoreActionResult.NotFound("the mailbox directory no longer exists");
                return false;
            }
        }

        foreach (var dir in new[] { Path.Combine(path.Maildir, "new"), Path.Combine(path.Maildir, "cur") })
        {
            if (IsUnsafeDirectory(dir) || !Directory.Exists(dir))
            {
                refusal = Refuse(record, "the mailbox directory is not a Maildir (new/ or cur/ missing or a link)");
                return false;
            }
        }

        return true;
    }

    private static bool IsUnsafeDirectory(string dir)
    {
        var info = new DirectoryInfo(dir);
        return info.LinkTarget is not null || (!info.Exists && File.Exists(dir));
    }

    /// <summary>
    /// Looks for the copy in new/ and cur/ of one folder. Null with no problem: not there. A problem
    /// (a symbolic link where the copy should be) means nothing may be touched.
    /// </summary>
    /// <summary>
    /// The copy in INBOX that a delete or flag acts on; otherwise the result to answer instead (refused, not
    /// there, or read already when only unread copies are touched).
    /// </summary>
    private StoreActionResult? FindToRemediate(
        StoreCommand command, MaildirCopyPath path, Folder inbox, out (string SubDir, string FileName) file)
    {
        file = default;
        var found = Find(path, inbox.Dir, out var problem);
        if (problem is not null)
        {
            return Refuse(command.Record, problem);
        }

        if (found is null)
        {
            return StoreActionResult.NotFound("not in INBOX");
        }

        file = found.Value;
        return command.OnlyUnread && MaildirInfo.IsSeen(file.SubDir, file.FileName)
            ? StoreActionResult.SkippedRead($"read already (in INBOX/{file.SubDir}, flag S)")
            : null;
    }

    private static (string SubDir, string FileName)? Find(MaildirCopyPath path, string folderDir, out string? problem)
    {
        problem = null;
        if (!Directory.Exists(folderDir))
        {
            return null;
        }

        foreach (var subDir in SubDirs)
        {
            var dir = Path.Combine(folderDir, subDir);
            var info = new DirectoryInfo(dir);
            if (info.LinkTarget is not null)
            {
                problem = $"{subDir}/ of a folder is a symbolic link";
                return null;
            }

            if (!info.Exists)
            {
                continue;
            }

            var match = info.EnumerateFileSystemInfos()
                .Where(f => path.Matches(f.Name))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (match is null)
            {
                continue;
            }

            if (match.LinkTarget is not null || match is not FileInfo)
            {
                problem = "the copy's name is a symbolic link or a directory, not a message file";
                return null;
            }

            return (subDir, match.Name);
        }

        return null;
    }

    /// <summary>Creates the Maildir++ folder (tmp, new, cur and the maildirfolder marker) as Dovecot expects.</summary>
    private void EnsureFolder(string maildir, Folder folder)
    {
        var created = !Directory.Exists(folder.Dir);
        foreach (var dir in new[] { folder.Dir, Path.Combine(folder.Dir, "tmp"), Path.Combine(folder.Dir, "new"),
                     Path.Combine(folder.Dir, "cur") })
        {
            // The folder gets the permissions of the Maildir it lives in, not the process umask's.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, File.GetUnixFileMode(maildir));
            }
        }

        // Maildir++: an empty "maildirfolder" file marks a subfolder (Courier and Dovecot both use it).
        var marker = Path.Combine(folder.Dir, "maildirfolder");
        if (!File.Exists(marker))
        {
            using (File.Open(marker, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }
        }

        if (created)
        {
            Subscribe(maildir, folder.Name);
            MaildirStoreLog.FolderCreated(_logger, folder.Name, maildir);
        }
    }

    /// <summary>
    /// Adds the folder to the Maildir's IMAP subscriptions so clients show it. A top-level name is one
    /// line in both the old and Dovecot's versioned format. Best effort: the move stands without it.
    /// </summary>
    private void Subscribe(string maildir, string folder)
    {
        var file = new FileInfo(Path.Combine(maildir, "subscriptions"));
        try
        {
            if (file.LinkTarget is not null || (file.Exists && file.Length > 1 << 20))
            {
                return;
            }

            var text = file.Exists ? File.ReadAllText(file.FullName) : "";
            if (text.Split('\n').Any(line => line.TrimEnd('\r') == folder))
            {
                return;
            }

            var separator = text.Length > 0 && !text.EndsWith('\n') ? "\n" : "";
            File.AppendAllText(file.FullName, separator + folder + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaildirStoreLog.SubscriptionNotRecorded(_logger, folder, maildir, ex);
        }
    }

    private StoreActionResult Refuse(DeliveryRecord record, string reason)
    {
        MaildirStoreLog.LocationRefused(_logger, record.QueueId, record.Recipient, reason);
        return StoreActionResult.Refused(reason);
    }

    private readonly record struct Folder(string Name, string Dir);
}
