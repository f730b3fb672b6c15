namespace Gateway.FingerprintFilter.Normalization;

/// <summary>One text part after decoding, HTML stripping, folding and masking.</summary>
/// <param name="MediaType">The part's media type, e.g. <c>text/html</c>.</param>
/// <param name="Text">Lower-case, single-spaced, masked text; may be empty.</param>
public sealed record NormalizedText(string MediaType, string Text);
