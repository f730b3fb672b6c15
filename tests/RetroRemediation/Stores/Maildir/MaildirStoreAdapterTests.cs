using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Stores;
using Gateway.RetroRemediation.Stores.Maildir;
using Gateway.RetroRemediation.Tests.Support;
using Gateway.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Stores.Maildir;

public sealed class MaildirStoreAdapterTests : IDisposable
{
    private readonly TestMaildirTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task MoveToJunk_NewMessage_LandsInJunkNewAndCreatesTheFolder()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var name = Path.GetFileName(record.Location);

        var result = await Apply(Adapter(), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Done, result.Status);
        var junk = _tree.JunkOf("ann@example.test");
        Assert.Equal(["new/" + name], TestMaildirTree.FilesIn(junk));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));
        Assert.True(Directory.Exists(Path.Combine(junk, "tmp")));
        Assert.True(File.Exists(Path.Combine(junk, "maildirfolder")));
        Assert.Contains("Junk", File.ReadAllLines(Path.Combine(_tree.MaildirOf("ann@example.test"), "subscriptions")));
    }

    [Fact]
    public async Task MoveToJunk_ClientMovedItToCurWithFlags_KeepsCurAndFlags()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var maildir = _tree.MaildirOf("ann@example.test");
        var seen = Path.GetFileName(record.Location) + ":2,S";
        File.Move(record.Location, Path.Combine(maildir, "cur", seen));

        var result = await Apply(Adapter(), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Done, result.Status);
        Assert.Equal(["cur/" + seen], TestMaildirTree.FilesIn(_tree.JunkOf("ann@example.test")));
    }

    [Fact]
    public async Task Restore_AfterMoveToJunk_PutsItBackWhereItWas()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var adapter = Adapter();
        await Apply(adapter, record, StoreOperation.Remediate);

        var result = await Apply(adapter, record, StoreOperation.Undo);

        Assert.Equal(StoreActionStatus.Done, result.Status);
        var inbox = TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test"));
        Assert.Equal(["new/" + Path.GetFileName(record.Location)], inbox);
        Assert.Empty(TestMaildirTree.FilesIn(_tree.JunkOf("ann@example.test")));
    }

    [Fact]
    public async Task MoveToJunk_Twice_SecondSaysAlreadyDone()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var adapter = Adapter();
        await Apply(adapter, record, StoreOperation.Remediate);

        var result = await Apply(adapter, record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.AlreadyDone, result.Status);
    }

    [Fact]
    public async Task MoveToJunk_UserDeletedIt_NotFound()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        File.Delete(record.Location);

        var result = await Apply(Adapter(), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Locate_FollowsTheFileBetweenFolders()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var adapter = Adapter();

        Assert.Equal(CopyPlace.Inbox, (await Apply(adapter, record, StoreOperation.Locate)).Place);
        await Apply(adapter, record, StoreOperation.Remediate);
        Assert.Equal(CopyPlace.Remediated, (await Apply(adapter, record, StoreOperation.Locate)).Place);
        File.Delete(Path.Combine(_tree.JunkOf("ann@example.test"), "new", Path.GetFileName(record.Location)));
        Assert.Equal(CopyPlace.Elsewhere, (await Apply(adapter, record, StoreOperation.Locate)).Place);
    }

    [Fact]
    public async Task MoveToJunk_MaildirIsASymlinkToElsewhere_RefusedAndNothingMoves()
    {
        // eve's Maildir is a link to a directory outside the tree, shaped like a Maildir.
        var outside = Path.Combine(_tree.Root, "..", Path.GetFileName(_tree.Root) + "-outside");
        Directory.CreateDirectory(Path.Combine(outside, "new"));
        Directory.CreateDirectory(Path.Combine(outside, "cur"));
        try
        {
            var victim = Path.Combine(outside, "new", "1.M1P1.victim");
            File.WriteAllText(victim, "not mail");
            Directory.CreateDirectory(Path.Combine(_tree.Root, "example.test"));
            Directory.CreateSymbolicLink(_tree.MaildirOf("eve@example.test"), Path.GetFullPath(outside));
            var record = _tree.Deliver("ann@example.test", "x1:aa");
            record.Recipient = "eve@example.test";
            record.Location = Path.Combine(_tree.MaildirOf("eve@example.test"), "new", "1.M1P1.victim");

            var result = await Apply(Adapter(), record, StoreOperation.Remediate);

            Assert.Equal(StoreActionStatus.Refused, result.Status);
            Assert.True(File.Exists(victim));
            Assert.False(Directory.Exists(Path.Combine(outside, ".Junk")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task MoveToJunk_MessageFileIsASymlink_Refused()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var target = Path.Combine(_tree.Root, "secret");
        File.WriteAllText(target, "secret");
        File.Delete(record.Location);
        File.CreateSymbolicLink(record.Location, target);

        var result = await Apply(Adapter(), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Refused, result.Status);
        Assert.True(File.Exists(record.Location));
    }

    [Fact]
    public async Task MoveToJunk_JunkFolderIsASymlink_RefusedAndFileStays()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var elsewhere = Path.Combine(_tree.Root, "elsewhere");
        Directory.CreateDirectory(Path.Combine(elsewhere, "new"));
        Directory.CreateSymbolicLink(_tree.JunkOf("ann@example.test"), elsewhere);

        var result = await Apply(Adapter(), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Refused, result.Status);
        Assert.True(File.Exists(record.Location));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(elsewhere, "new")));
    }

    [Fact]
    public async Task MoveToJunk_OtherUsersFileNamedInRecord_Refused()
    {
        var bob = _tree.Deliver("bob@example.test", "x1:aa");
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        record.Location = bob.Location;

        var result = await Apply(Adapter(), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Refused, result.Status);
        Assert.True(File.Exists(bob.Location));
    }

    [Fact]
    public async Task MoveToJunk_OutsideConfiguredRoot_Refused()
    {
        using var other = new TestMaildirTree();
        var record = other.Deliver("ann@example.test", "x1:aa");

        var result = await Apply(Adapter(maildirRoot: _tree.Root), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Refused, result.Status);
        Assert.True(File.Exists(record.Location));
    }

    [Fact]
    public async Task MoveToJunk_InsideConfiguredRoot_Moves()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");

        var result = await Apply(Adapter(maildirRoot: _tree.Root + "/"), record, StoreOperation.Remediate);

        Assert.Equal(StoreActionStatus.Done, result.Status);
    }

    [Fact]
    public async Task MoveToQuarantine_ThenUndo_UsesTheQuarantineFolder()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var adapter = Adapter();
        var quarantine = Path.Combine(_tree.MaildirOf("ann@example.test"), ".Quarantine");

        var moved = await Apply(adapter, record, StoreOperation.Remediate, StoreAction.MoveToQuarantine);
        var located = await Apply(adapter, record, StoreOperation.Locate, StoreAction.MoveToQuarantine);

        Assert.Equal(StoreActionStatus.Done, moved.Status);
        Assert.Equal(CopyPlace.Remediated, located.Place);
        Assert.Equal(["new/" + Path.GetFileName(record.Location)], TestMaildirTree.FilesIn(quarantine));
        Assert.False(Directory.Exists(_tree.JunkOf("ann@example.test")));

        var back = await Apply(adapter, record, StoreOperation.Undo, StoreAction.MoveToQuarantine);

        Assert.Equal(StoreActionStatus.Done, back.Status);
        Assert.Empty(TestMaildirTree.FilesIn(quarantine));
        Assert.Single(TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));
    }

    [Fact]
    public async Task Delete_RemovesTheFile()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");

        var result = await Apply(Adapter(), record, StoreOperation.Remediate, StoreAction.Delete);

        Assert.Equal(StoreActionStatus.Done, result.Status);
        Assert.False(File.Exists(record.Location));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));
    }

    [Fact]
    public async Task Flag_NewMessage_GoesToCurWithFAndUndoRemovesIt()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var adapter = Adapter();
        var name = Path.GetFileName(record.Location);

        var flagged = await Apply(adapter, record, StoreOperation.Remediate, StoreAction.Flag);
        var located = await Apply(adapter, record, StoreOperation.Locate, StoreAction.Flag, flagged.FlagsAdded);

        Assert.Equal(StoreActionStatus.Done, flagged.Status);
        Assert.Equal(StoreFlags.Flagged, flagged.FlagsAdded);
        Assert.Equal(CopyPlace.Remediated, located.Place);
        Assert.Equal(["cur/" + name + ":2,F"], TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));

        var undone = await Apply(adapter, record, StoreOperation.Undo, StoreAction.Flag, flagged.FlagsAdded);

        Assert.Equal(StoreActionStatus.Done, undone.Status);
        Assert.Equal(["cur/" + name + ":2,"], TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));
    }

    [Fact]
    public async Task Undo_FlagTheUserHadSet_IsLeft()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var name = Path.GetFileName(record.Location) + ":2,FS";
        File.Move(record.Location, Path.Combine(_tree.MaildirOf("ann@example.test"), "cur", name));
        var adapter = Adapter();

        var flagged = await Apply(adapter, record, StoreOperation.Remediate, StoreAction.Flag);
        var undone = await Apply(adapter, record, StoreOperation.Undo, StoreAction.Flag, flagged.FlagsAdded);

        Assert.Equal(StoreActionStatus.AlreadyDone, flagged.Status);
        Assert.Equal(StoreActionStatus.Done, undone.Status);
        Assert.Equal(["cur/" + name], TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));
    }

    [Fact]
    public async Task OnlyUnread_ReadMessage_SkippedAndLeft()
    {
        var record = _tree.Deliver("ann@example.test", "x1:aa");
        var seen = Path.GetFileName(record.Location) + ":2,S";
        File.Move(record.Location, Path.Combine(_tree.MaildirOf("ann@example.test"), "cur", seen));
        var unread = _tree.Deliver("ann@example.test", "x1:aa");
        var adapter = Adapter();

        var read = await Apply(adapter, record, StoreOperation.Remediate, onlyUnread: true);
        var moved = await Apply(adapter, unread, StoreOperation.Remediate, onlyUnread: true);

        Assert.Equal(StoreActionStatus.SkippedRead, read.Status);
        Assert.Equal(StoreActionStatus.Done, moved.Status);
        Assert.Equal(["cur/" + seen], TestMaildirTree.FilesIn(_tree.MaildirOf("ann@example.test")));
    }

    private static Task<StoreActionResult> Apply(
        MaildirStoreAdapter adapter, DeliveryRecord record, StoreOperation operation,
        StoreAction action = StoreAction.MoveToJunk,
        StoreFlags flagsAdded = StoreFlags.None,
        bool onlyUnread = false) =>
        adapter.ApplyAsync(
            new StoreCommand("c1", record, operation, action, flagsAdded, onlyUnread, "ev"), CancellationToken.None);

    private static MaildirStoreAdapter Adapter(string maildirRoot = "") =>
        new(Options.Create(new RetroRemediationOptions { MaildirRoot = maildirRoot }),
            NullLogger<MaildirStoreAdapter>.Instance);
}
