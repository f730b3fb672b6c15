using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Stores;
using Gateway.V1;
using Xunit;

namespace Gateway.RetroRemediation.Tests;

public sealed class CopyTransitionsTests
{
    [Theory]
    [InlineData(CopyState.Delivered, FingerprintEventKind.Convicted, CopyStep.Remediate)]
    [InlineData(CopyState.Restored, FingerprintEventKind.Convicted, CopyStep.Remediate)]
    [InlineData(CopyState.MovedToJunk, FingerprintEventKind.Convicted, CopyStep.Locate)]
    [InlineData(CopyState.Quarantined, FingerprintEventKind.Convicted, CopyStep.Locate)]
    [InlineData(CopyState.Flagged, FingerprintEventKind.Convicted, CopyStep.Locate)]
    [InlineData(CopyState.Deleted, FingerprintEventKind.Convicted, CopyStep.None)]
    [InlineData(CopyState.NotFound, FingerprintEventKind.Convicted, CopyStep.None)]
    [InlineData(CopyState.Failed, FingerprintEventKind.Convicted, CopyStep.None)]
    [InlineData(CopyState.MovedToJunk, FingerprintEventKind.Reversed, CopyStep.Undo)]
    [InlineData(CopyState.Quarantined, FingerprintEventKind.Reversed, CopyStep.Undo)]
    [InlineData(CopyState.Flagged, FingerprintEventKind.Reversed, CopyStep.Undo)]
    [InlineData(CopyState.Deleted, FingerprintEventKind.Reversed, CopyStep.CannotUndo)]
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
    [InlineData(StoreAction.MoveToJunk, StoreActionStatus.Done, CopyState.MovedToJunk)]
    [InlineData(StoreAction.MoveToJunk, StoreActionStatus.AlreadyDone, CopyState.MovedToJunk)]
    [InlineData(StoreAction.MoveToQuarantine, StoreActionStatus.Done, CopyState.Quarantined)]
    [InlineData(StoreAction.Delete, StoreActionStatus.Done, CopyState.Deleted)]
    [InlineData(StoreAction.Flag, StoreActionStatus.Done, CopyState.Flagged)]
    [InlineData(StoreAction.MoveToJunk, StoreActionStatus.NotFound, CopyState.NotFound)]
    [InlineData(StoreAction.MoveToJunk, StoreActionStatus.Refused, CopyState.Failed)]
    [InlineData(StoreAction.MoveToJunk, StoreActionStatus.Failed, CopyState.Delivered)]
    [InlineData(StoreAction.MoveToJunk, StoreActionStatus.SkippedRead, CopyState.Delivered)]
    public void After_Remediation_GivesState(StoreAction action, StoreActionStatus status, CopyState expected)
    {
        Assert.Equal(expected, CopyTransitions.After(CopyStep.Remediate, CopyState.Delivered, action, status));
    }

    [Theory]
    [InlineData(StoreActionStatus.Done, CopyState.Restored)]
    [InlineData(StoreActionStatus.AlreadyDone, CopyState.UserRestored)]
    [InlineData(StoreActionStatus.NotFound, CopyState.NotFound)]
    [InlineData(StoreActionStatus.Failed, CopyState.MovedToJunk)]
    public void After_Undo_GivesState(StoreActionStatus status, CopyState expected)
    {
        var state = CopyTransitions.After(CopyStep.Undo, CopyState.MovedToJunk, StoreAction.MoveToJunk, status);

        Assert.Equal(expected, state);
    }

    [Theory]
    [InlineData(CopyState.MovedToJunk, StoreAction.MoveToJunk)]
    [InlineData(CopyState.Quarantined, StoreAction.MoveToQuarantine)]
    [InlineData(CopyState.Flagged, StoreAction.Flag)]
    [InlineData(CopyState.Deleted, StoreAction.Delete)]
    public void ActionOf_RemediatedState_IsWhatUndoReverses(CopyState state, StoreAction expected)
    {
        Assert.Equal(expected, CopyTransitions.ActionOf(state));
        Assert.Equal(state, CopyTransitions.StateOf(expected));
    }

    [Theory]
    [InlineData(CopyPlace.Inbox, CopyState.UserRestored)]
    [InlineData(CopyPlace.Remediated, CopyState.Quarantined)]
    [InlineData(CopyPlace.Elsewhere, CopyState.NotFound)]
    [InlineData(CopyPlace.Unknown, CopyState.Quarantined)]
    public void AfterLocate_PlaceOfActedOnCopy_GivesState(CopyPlace place, CopyState expected)
    {
        Assert.Equal(expected, CopyTransitions.AfterLocate(CopyState.Quarantined, place));
    }
}
