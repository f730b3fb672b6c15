using Gateway.FingerprintFilter.Tests.Support;
using Gateway.Testing;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Fingerprinting;

/// <summary>
/// Seeded, bounded mutation of real and synthetic messages: truncation, flipped bytes, spliced
/// boundaries. Nothing may escape, hang or overflow the stack (which would crash the test host).
/// </summary>
public sealed class FingerprintCalculatorFuzzTests
{
    private const int MutationsPerMessage = 60;

    private static readonly byte[][] Splices =
    [
        "\n--b1\n"u8.ToArray(),
        "\r\n--b1--\r\n"u8.ToArray(),
        "\nContent-Type: multipart/mixed; boundary=b1\n\n"u8.ToArray(),
        "=?utf-8?b?////?="u8.ToArray(),
        "\nContent-Transfer-Encoding: base64\n\n"u8.ToArray(),
        "<script><style><!--"u8.ToArray(),
        [0x00, 0xFF, 0xFE, 0x80, 0x0D],
    ];

    private static void Mutate(byte[] seed, int rounds, Random random)
    {
        var calculator = FingerprintFilterFactory.Calculator();
        for (var round = 0; round < rounds; round++)
        {
            var mutated = new List<byte>(seed);
            var edits = random.Next(1, 8);
            for (var e = 0; e < edits && mutated.Count > 0; e++)
            {
                var at = random.Next(mutated.Count);
                switch (random.Next(4))
                {
                    case 0:
                        mutated[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        mutated.RemoveRange(at, mutated.Count - at);
                        break;
                    case 2:
                        mutated.InsertRange(at, Splices[random.Next(Splices.Length)]);
                        break;
                    default:
                        mutated.RemoveRange(at, Math.Min(random.Next(1, 64), mutated.Count - at));
                        break;
                }
            }

            var result = calculator.Compute(mutated.ToArray());
            Assert.NotNull(result.Fingerprints);
        }
    }

    [Fact]
    public void Compute_MutatedSyntheticMessages_NeverThrow()
    {
        var random = new Random(20240101);
        var seeds = new[]
        {
            TestMessages.Bytes(TestMessages.WithAttachment(TestMessages.CampaignText, "line one\nline two")),
            TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.CampaignText))),
        };

        foreach (var seed in seeds)
        {
            Mutate(seed, MutationsPerMessage, random);
        }
    }

    [RequiresFact(TestRequirements.Shared)]
    public void Compute_MutatedMimeEdgeMessages_NeverThrow()
    {
        var random = new Random(7);
        foreach (var file in Support.Corpus.Files("mime-edge").Where((_, i) => i % 8 == 0))
        {
            Mutate(File.ReadAllBytes(file), MutationsPerMessage / 4, random);
        }
    }
}
