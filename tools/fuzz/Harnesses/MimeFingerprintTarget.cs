using System.Text;
using Gateway.FingerprintFilter;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Normalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// MIME normalisation and fingerprinting: the input is a raw message given to <see cref="FingerprintCalculator"/>
/// exactly as the filter tier receives it. It never throws on content by design, so a finding is an exception of a
/// programming-error type that it logged and swallowed, a fingerprint that is not <c>kind:hex</c>, or a result
/// that differs when the same bytes are computed twice.
/// </summary>
public sealed class MimeFingerprintTarget : IFuzzTarget
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly FingerprintCalculator _calculator;

    public MimeFingerprintTarget()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Warning));
        var options = Options.Create(new FingerprintFilterOptions { MaxMessageBytes = 4 * 1024 * 1024 });
        _calculator = new FingerprintCalculator(
            new MessageNormalizer(options, _loggerFactory.CreateLogger<MessageNormalizer>()),
            [
                new ExactTextFingerprinter(options), new FuzzyTextFingerprinter(options), new AttachmentFingerprinter(),
                new UrlDomainFingerprinter(options),
            ],
            options,
            _loggerFactory.CreateLogger<FingerprintCalculator>());
    }

    public string Name => "mime";

    public IEnumerable<byte[]> Seeds(string? corpusDir)
    {
        yield return Encoding.UTF8.GetBytes(
            "From: a@b.test\r\nSubject: =?utf-8?B?aGVsbG8=?=\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n"
            + "--x\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Caf=E9 offer, click http://spam.test/?id=12345 now, limited time only, act now please\r\n"
            + "--x\r\nContent-Type: text/html\r\n\r\n<p>Caf&eacute; <b>offer</b> click</p>\r\n"
            + "--x\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--x--\r\n");
        if (corpusDir is null)
        {
            yield break;
        }

        foreach (var folder in new[] { "mime-edge", "special" })
        {
            var dir = Path.Combine(corpusDir, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(dir, "*.eml").Order(StringComparer.Ordinal))
            {
                yield return File.ReadAllBytes(file);
            }
        }
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        _logs.Drain();
        var raw = input.ToArray();
        var first = _calculator.Compute(raw);
        var second = _calculator.Compute(raw);
        foreach (var entry in _logs.Drain())
        {
            if (entry.Level >= LogLevel.Error || (entry.Exception is { } ex && UnexpectedExceptions.IsBug(ex)))
            {
                throw new FuzzFinding($"{entry.Category}: {entry.Message}", entry.Exception);
            }
        }

        if (!first.Fingerprints.SequenceEqual(second.Fingerprints) || first.MessageId != second.MessageId)
        {
            throw new FuzzFinding("the same bytes gave different fingerprints");
        }

        foreach (var fingerprint in first.Fingerprints)
        {
            var colon = fingerprint.IndexOf(':');
            if (colon <= 0 || colon == fingerprint.Length - 1
                || !fingerprint[(colon + 1)..].All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
            {
                throw new FuzzFinding("malformed fingerprint: " + fingerprint);
            }
        }
    }

    public void Dispose() => _loggerFactory.Dispose();
}
