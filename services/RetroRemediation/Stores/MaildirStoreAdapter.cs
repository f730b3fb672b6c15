using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores;

/// <summary>
/// Moves copies inside a Maildir++ tree written by the edge: the inbox is the user's Maildir itself,
/// Junk is its subfolder <c>.Junk</c>. A move is one rename(2) within the tree, so it is atomic and
/// keeps the file name, and with it the flags the user's client set (the ":2,..." info).
/// Files are found by their unique base name in new/ and cur/, since a client may have moved them
/// from new/ to cur/ and added flags since delivery. Symbolic links anywhere below the root are
/// refused, so a hostile record or tree cannot make the gateway move files outside the mailbox.
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

    public Task<StoreActionResult> MoveToJunkAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(Move(record, toJunk: true));

    public Task<StoreActionResult> RestoreAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(Move(record, toJunk: false));

    public Task<CopyLocation> LocateAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        if (!TryOpen(record, out var path, out var junkDir, out var refusal))
        {
            var place = refusal.Status == StoreActionStatus.NotFound ? CopyPlace.Elsewhere : CopyPlace.Unknown;
            return Task.FromResult(new CopyLocation(place, refusal.Detail));
        }

        var inInbox = Find(path, path.Maildir, out var problem);
        if (problem is null && inInbox is null && Directory.Exists(junkDir))
        {
            var inJunk = Find(path, junkDir, out problem);
            if (problem is null && inJunk is not null)
            {
                return Task.FromResult(new CopyLocation(CopyPlace.Junk, $"in {JunkName}/{inJunk.Value.SubDir}"));
            }
        }

        var location = problem is not null ? new CopyLocation(CopyPlace.Unknown, problem)
            : inInbox is not null ? new CopyLocation(CopyPlace.Inbox, $"in INBOX/{inInbox.Value.SubDir}")
            : new CopyLocation(CopyPlace.Elsewhere, "in neither INBOX nor " + JunkName);
        return Task.FromResult(location);
    }

    private string JunkName => _options.Value.JunkFolder;

    private StoreActionResult Move(DeliveryRecord record, bool toJunk)
    {
        if (!TryOpen(record, out var path, out var junkDir, out var refusal))
        {
            return refusal;
        }

        var (sourceDir, targetDir) = toJunk ? (path.Maildir, junkDir) : (junkDir, path.Maildir);
        var (sourceName, targetName) = toJunk ? ("INBOX", JunkName) : (JunkName, "INBOX");

        // Step 1: find the file where the move starts; if it is not there, say where it is instead.
        var found = Directory.Exists(sourceDir) ? Find(path, sourceDir, out var problem) : Absent(out problem);
        if (problem is not null)
        {
            return Refuse(record, problem);
        }

        if (found is null)
        {
            var atTarget = Directory.Exists(targetDir) ? Find(path, targetDir, out problem) : Absent(out problem);
            return problem is not null ? Refuse(record, problem)
                : atTarget is not null ? StoreActionResult.AlreadyThere($"already in {targetName}")
                : StoreActionResult.NotFound($"in neither {sourceName} nor {targetName}");
        }

        try
        {
            // Step 2: make sure the target folder exists (only Junk may be missing).
            if (toJunk)
            {
                EnsureFolder(path.Maildir, junkDir);
            }

            // Step 3: rename, keeping new/ or cur/ and the flags; never overwrite.
            var (subDir, fileName) = found.Value;
            var source = Path.Combine(sourceDir, subDir, fileName);
            var target = Path.Combine(targetDir, subDir, fileName);
            if (File.Exists(target) || Directory.Exists(target))
            {
                return StoreActionResult.Failed($"{targetName}/{subDir} already holds a file of the same name");
            }

            File.Move(source, target, overwrite: false);
            return StoreActionResult.Moved($"moved from {sourceName}/{subDir} to {targetName}/{subDir}");
        }
        catch (FileNotFoundException)
        {
            // The user's client moved or deleted it between our look and our rename.
            return StoreActionResult.NotFound($"gone from {sourceName} while moving it");
        }
        catch (DirectoryNotFoundException)
        {
            return StoreActionResult.NotFound($"gone from {sourceName} while moving it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StoreActionResult.Failed($"the move failed: {ex.Message}");
        }
    }

    /// <summary>Resolves the record and checks the directories it leads to, before any file is looked at.</summary>
    private bool TryOpen(
        DeliveryRecord record, out MaildirCopyPath path, out string junkDir, out StoreActionResult refusal)
    {
        junkDir = "";
        refusal = default;
        if (!MaildirCopyPath.TryResolve(record, _options.Value.MaildirRoot, out path, out var reason))
        {
            refusal = Refuse(record, reason);
            return false;
        }

        junkDir = Path.Combine(path.Maildir, "." + JunkName);
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

        foreach (var dir in new[] { Path.Combine(path.Maildir, "new"), Path.Combine(path.Maildir, "cur"), junkDir })
        {
            var info = new DirectoryInfo(dir);
            if (info.LinkTarget is not null || (!info.Exists && File.Exists(dir)))
            {
                refusal = Refuse(record, "a Maildir folder is a symbolic link or a file");
                return false;
            }

            if (!info.Exists && dir != junkDir)
            {
                refusal = Refuse(record, "the mailbox directory is not a Maildir (no new/ or cur/)");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Looks for the copy in new/ and cur/ of one folder. Null with no problem: not there. A problem
    /// (a symbolic link where the copy should be) means nothing may be touched.
    /// </summary>
    private static (string SubDir, string FileName)? Find(MaildirCopyPath path, string folderDir, out string? problem)
    {
        problem = null;
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

    private static (string, string)? Absent(out string? problem)
    {
        problem = null;
        return null;
    }

    /// <summary>Creates the Maildir++ folder (tmp, new, cur and the maildirfolder marker) as Dovecot expects.</summary>
    private void EnsureFolder(string maildir, string folderDir)
    {
        var created = !Directory.Exists(folderDir);
        foreach (var dir in new[] { folderDir, Path.Combine(folderDir, "tmp"), Path.Combine(folderDir, "new"),
                     Path.Combine(folderDir, "cur") })
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
        var marker = Path.Combine(folderDir, "maildirfolder");
        if (!File.Exists(marker))
        {
            using (File.Open(marker, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }
        }

        if (created)
        {
            Subscribe(maildir);
            MaildirStoreLog.JunkFolderCreated(_logger, JunkName, maildir);
        }
    }

    /// <summary>
    /// Adds the folder to the Maildir's IMAP subscriptions so clients show it. A top-level name is one
    /// line in both the old and Dovecot's versioned format. Best effort: the move stands without it.
    /// </summary>
    private void Subscribe(string maildir)
    {
        var file = new FileInfo(Path.Combine(maildir, "subscriptions"));
        try
        {
            if (file.LinkTarget is not null || file.Length > 1 << 20)
            {
                return;
            }
        }
        catch (FileNotFoundException)
        {
            // No subscriptions yet: created below.
        }

        try
        {
            var text = file.Exists ? File.ReadAllText(file.FullName) : "";
            if (text.Split('\n').Any(line => line.TrimEnd('\r') == JunkName))
            {
                return;
            }

            var separator = text.Length > 0 && !text.EndsWith('\n') ? "\n" : "";
            File.AppendAllText(file.FullName, separator + JunkName + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaildirStoreLog.SubscriptionNotRecorded(_logger, JunkName, maildir, ex);
        }
    }

    private StoreActionResult Refuse(DeliveryRecord record, string reason)
    {
        MaildirStoreLog.LocationRefused(_logger, record.QueueId, record.Recipient, reason);
        return StoreActionResult.Refused(reason);
    }
}
