namespace Gateway.FingerprintFilter.Sharing;

/// <summary>A feed batch that is not provably from the peer it claims to be from; nothing of it is imported.</summary>
public sealed class FeedVerificationException(string message) : Exception(message);
