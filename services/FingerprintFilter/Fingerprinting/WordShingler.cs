namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// Splits normalised text into words and hashes every run of <c>width</c> consecutive words (a
/// shingle). Words are what is left between spaces after stripping punctuation at both ends, so
/// "free!" and "free" are one word; mask tokens such as <c>[n]</c> and <c>[tok]</c> count as words.
/// </summary>
public static class WordShingler
{
    private const string EdgePunctuation = ".,;:!?\"'()*-_~`«»“”‘’…|<>{}";

    /// <summary>
    /// Appends the hash of every shingle of <paramref name="text"/> to <paramref name="shingles"/>
    /// (texts shorter than <paramref name="width"/> words give none) and returns the word count,
    /// reading at most <paramref name="maxWords"/> words.
    /// </summary>
    public static int Shingle(string text, int width, int maxWords, List<ulong> shingles)
    {
        var words = new List<ulong>(Math.Min(maxWords, text.Length / 4 + 1));
        var span = text.AsSpan();
        var start = 0;
        while (start < span.Length && words.Count < maxWords)
        {
            var end = span[start..].IndexOf(' ');
            end = end < 0 ? span.Length : start + end;
            var word = span[start..end].Trim(EdgePunctuation);
            if (!word.IsEmpty)
            {
                words.Add(StableHash.Of(word));
            }

            start = end + 1;
        }

        for (var i = 0; i + width <= words.Count; i++)
        {
            // Order matters within a shingle ("not good" is not "good not"), so each word is mixed in turn.
            var hash = (ulong)width;
            for (var j = 0; j < width; j++)
            {
                hash = StableHash.Mix(hash ^ words[i + j]);
            }

            shingles.Add(hash);
        }

        return words.Count;
    }
}
