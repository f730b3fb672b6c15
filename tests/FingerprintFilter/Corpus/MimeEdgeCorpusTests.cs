using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Normalization;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.FingerprintFilter.Tests.Corpus;

/// <summary>Malformed and tricky MIME from parser test suites (corpus mime-edge, special and mbox).</summary>
public sealed class MimeEdgeCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> MimeEdgeFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Support.Corpus.Files("mime-edge").Concat(Support.Corpus.Files("special")))
        {
            data.Add(Path.GetRelativePath(TestEnvironment.CorpusDir!, file));
        }

        return data;
    }

    /// <summary>
    /// Every file normalises without an exception escaping, and without one being swallowed either:
    /// no part is skipped as undecodable and no algorithm fails. A file counts as unparseable only
    /// when it does not even start with a header field (those normalise to nothing, by design).
    /// The result is deterministic.
    /// </summary>
    [RequiresTheory(TestRequirements.Shared)]
    [MemberData(nameof(MimeEdgeFiles))]
    public void Compute_MimeEdgeFile_NormalisesWithoutErrors(string file)
    {
        var raw = File.ReadAllBytes(Path.Combine(TestEnvironment.CorpusDir!, file));
        var normalizerLog = new RecordingLogger<MessageNormalizer>();
        var calculatorLog = new RecordingLogger<FingerprintCalculator>();
        var options = Options.Create(FingerprintFilterFactory.DefaultOptions());
        var calculator = new FingerprintCalculator(
            new MessageNormalizer(options, normalizerLog),
            [
                new ExactTextFingerprinter(options), new FuzzyTextFingerprinter(options), new AttachmentFingerprinter(),
                new UrlDomainFingerprinter(options),
            ],
            options,
            calculatorLog);

        var first = calculator.Compute(raw);
        var second = calculator.Compute(raw);

        output.WriteLine($"{file}: {first.Fingerprints.Count} fingerprints, Message-ID {first.MessageId ?? "-"}");
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(first.Fingerprints, second.Fingerprints);
        Assert.DoesNotContain(normalizerLog.Events, e => e.EventName == "PartSkipped");
        if (normalizerLog.Events.Any(e => e.EventName == "MessageUnparseable"))
        {
            Assert.False(StartsWithHeaderField(raw), "a message starting with a header field failed to parse");
            Assert.Empty(first.Fingerprints);
        }

        Assert.DoesNotContain(calculatorLog.Events, e => e.Level >= LogLevel.Warning);
    }

    /// <summary>RFC 5322 section 2.2: a field name is printable US-ASCII except ":", then ":".</summary>
    private static bool StartsWithHeaderField(byte[] raw)
    {
        var start = raw.AsSpan().StartsWith("From "u8) ? raw.AsSpan().IndexOf((byte)'\n') + 1 : 0;
        var line = raw.AsSpan(start);
        var colon = line.IndexOf((byte)':');
        var lineEnd = line.IndexOfAny((byte)'\r', (byte)'\n');
        return colon > 0 && (lineEnd < 0 || colon < lineEnd)
            && !line[..colon].ContainsAnyExceptInRange((byte)0x21, (byte)0x7E);
    }

    [RequiresFact(TestRequirements.Shared)]
    public void Compute_MboxFiles_FirstMessageNormalisesWithoutThrowing()
    {
        var calculator = FingerprintFilterFactory.Calculator();
        var files = Directory.GetFiles(Support.Corpus.Directory("mbox"));

        foreach (var file in files)
        {
            var result = calculator.Compute(File.ReadAllBytes(file));
            output.WriteLine($"{Path.GetFileName(file)}: {result.Fingerprints.Count} fingerprints");
        }

        Assert.NotEmpty(files);
    }

    [RequiresFact(TestRequirements.Shared)]
    public void Compute_GtubeOnlyInBase64Attachment_GivesAttachmentFingerprintOnly()
    {
        var raw = File.ReadAllBytes(
            Path.Combine(Support.Corpus.Directory("special"), "gtube-in-base64-attachment.eml"));

        var fingerprints = FingerprintFilterFactory.Calculator().Compute(raw).Fingerprints;

        Assert.Contains(fingerprints, fp => FingerprintKinds.KindOf(fp) == FingerprintKinds.Attachment);
        Assert.DoesNotContain(fingerprints, FingerprintKinds.ConvictsAlone);
    }

    [RequiresFact(TestRequirements.Shared)]
    public void Compute_GtubeAndItsNearMiss_ShareNoFingerprint()
    {
        var special = Support.Corpus.Directory("special");
        var crlf = FingerprintFilterFactory.Calculator().Compute(
            File.ReadAllBytes(Path.Combine(special, "gtube-crlf.eml")));
        var nearMiss = FingerprintFilterFactory.Calculator().Compute(
            File.ReadAllBytes(Path.Combine(special, "not-gtube-near-miss.eml")));

        Assert.Contains(crlf.Fingerprints, FingerprintKinds.ConvictsAlone);
        Assert.Empty(crlf.Fingerprints.Intersect(nearMiss.Fingerprints));
    }
}
