using Gateway.AdminApi;
using Gateway.V1;

namespace Gateway.Standalone.Tests;

/// <summary>The queue listing's <c>?state=</c> filter, shared by the standalone and cluster admin APIs.</summary>
public sealed class QueueStateFilterTests
{
    [Theory]
    [InlineData("", QueuedMessageState.Unspecified)]
    [InlineData("all", QueuedMessageState.Unspecified)]
    [InlineData("Deferred", QueuedMessageState.Deferred)]
    [InlineData(" new ", QueuedMessageState.New)]
    [InlineData("active", QueuedMessageState.Active)]
    public void TryParseState_Known(string text, QueuedMessageState expected)
    {
        Assert.True(QueueEndpoints.TryParseState(text, out var state));
        Assert.Equal(expected, state);
    }

    [Theory]
    [InlineData("stuck")]
    [InlineData("deferred2")]
    [InlineData("-1")]
    public void TryParseState_Unknown_False(string text) => Assert.False(QueueEndpoints.TryParseState(text, out _));
}
