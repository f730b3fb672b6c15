using Gateway.RetroRemediation.Stores;
using Gateway.V1;
using Xunit;

namespace Gateway.RetroRemediation.Tests;

public sealed class CopyTransitionsTests
{
    [Theory]
    [InlineData(CopyState.Delivered, FingerprintEventKind.Convicted, CopyStep.MoveToJunk)]
    [InlineData(CopyState.Restored, FingerprintEventKind.Convicted, CopyStep.MoveToJunk)]
    [InlineData(CopyState.MovedToJunk, FingerprintEventKind.Convicted, CopyStep.CheckUserRestored)]
    [InlineData(CopyState.NotFound, FingerprintEventKind.Convicted, CopyStep.None)]
    [InlineData(CopyState.Failed, FingerprintEventKind.Convicted, CopyStep.None)]
    [InlineData(CopyState.MovedToJunk, FingerprintEventKind.Reversed, CopyStep.Restore)]
    [InlineData(CopyState.Delivered, FingerprintEventKind.Reversed, CopyStep.None)]
    [InlineData(CopyState.Restored, FingerprintEventKind.Reversed, CopyStep.None)]
    [InlineData(CopyState.MovedToJunk, FingerprintEventKind.Unspecified, CopyStep.None)]
    public void StepFor_StateAndEvent_GivesStep(CopyState state, FingerprintEventKind kind, CopyStep expected)
    {
        Assert.Equal(expected, CopyTransitions.StepFor(state, kind));
    }

    [Theory]
    [InlineData(FingerprintEventKind.Convicted)]
    [InlineData(FingerprintEventKind.Reversed)]
    public void StepFor_UserRestored_NeverActsAgain(FingerprintEventKind kind)
    {
        Assert.Equal(CopyStep.None, CopyTransitions.StepFor(CopyState.UserRestored, kind));
    }

    [Theory]
    [InlineData(CopyStep.MoveToJunk, StoreActionStatus.Moved, CopyState.MovedToJunk)]
    [InlineData(CopyStep.MoveToJunk, StoreActionStatus.AlreadyThere, CopyState.MovedToJunk)]
    [InlineData(CopyStep.MoveToJunk, StoreActionStatus.NotFound, CopyState.NotFound)]
    [InlineData(CopyStep.MoveToJunk, StoreActionStatus.Refused, CopyState.Failed)]
    [InlineData(CopyStep.MoveToJunk, StoreActionStatus.Failed, CopyState.Delivered)]
    [InlineData(CopyStep.Restore, StoreActionStatus.Moved, CopyState.Restored)]
    [InlineData(CopyStep.Restore, StoreActionStatus.NotFound, CopyState.NotFound)]
    public void After_MoveResult_GivesState(CopyStep step, StoreActionStatus status, CopyState expected)
    {
        var current = step == CopyStep.MoveToJunk ? CopyState.Delivered : CopyState.MovedToJunk;
        Assert.Equal(expected, CopyTransitions.After(step, current, status));
    }

    [Fact]
    public void After_RestoreFindsCopyAlreadyInInbox_MarksUserRestored()
    {
        var state = CopyTransitions.After(CopyStep.Restore, CopyState.MovedToJunk, StoreActionStatus.AlreadyThere);

        Assert.Equal(CopyState.UserRestored, state);
    }

    [Fact]
    public void After_TransientFailureOnRestore_KeepsMovedToJunk()
    {
        var state = CopyTransitions.After(CopyStep.Restore, CopyState.MovedToJunk, StoreActionStatus.Failed);

        Assert.Equal(CopyState.MovedToJunk, state);
    }

    [Theory]
    [InlineData(CopyPlace.Inbox, CopyState.UserRestored)]
    [InlineData(CopyPlace.Junk, CopyState.MovedToJunk)]
    [InlineData(CopyPlace.Elsewhere, CopyState.NotFound)]
    [InlineData(CopyPlace.Unknown, CopyState.MovedToJunk)]
    public void AfterCheck_PlaceOfMovedCopy_GivesState(CopyPlace place, CopyState expected)
    {
        Assert.Equal(expected, CopyTransitions.AfterCheck(CopyState.MovedToJunk, place));
    }
}
