using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Gateway.Fuzz.Harnesses;

namespace Gateway.Fuzz.Runner;

/// <summary>
/// The fallback fuzzer: seeded random mutations (bit flips, interesting bytes, SMTP/MIME tokens, cuts,
/// repeats, splices) of the seed inputs, fed to a harness for a fixed time. It is NOT coverage-guided: it keeps
/// no inputs that reach new code, so it finds shallow bugs fast and deep ones rarely; afl-fuzz through SharpFuzz
/// (tools/fuzz/fuzz.sh) is the coverage-guided run. Same seed and duration give the same inputs.
/// </summary>
public sealed class MutationRunner(IFuzzTarget target, int seed, int maxInputBytes)
{
    private static readonly byte[] InterestingBytes =
        [0, 0xFF, 0x7F, 0x80, (byte)'\r', (byte)'\n', (byte)'.', (byte)':', (byte)'<', (byte)'>', (byte)'"',
         (byte)'@', (byte)'\\', (byte)'=', (byte)'%', (byte)'!', (byte)' ', (byte)'\t', (byte)'-', (byte)';',
             (byte)'['];

    private static readonly byte[][] Tokens = new[]
    {
        "\r\n", "\r\n.\r\n", "\r\n\r\n", "\n", "\r", ".", "..", "MAIL FROM:<", "RCPT TO:<", "DATA\r\n", "EHLO x\r\n",
        "RSET\r\n", "BDAT 5 LAST\r\n", "QUIT\r\n", "NOOP\r\n", " SIZE=99999999999999999999", " BODY=8BITMIME",
        " SMTPUTF8", "<>", "@", "\"", "\\", "[IPv6:", "]", "%", "!", "Content-Type: multipart/mixed; boundary=",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "=?utf-8?B?",
        "=?iso-8859-1?Q?", "?=", "--", "boundary=\"", "charset=", "message/rfc822", "Received: x\r\n", "=\r\n",
        "\u00e9", "\u4e2d", "\0",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    private readonly Random _random = new(seed);
    private readonly byte[][] _tokens = [.. Tokens, .. target.Tokens];

    /// <summary>Runs the seeds, then mutations until <paramref name="duration"/> has passed.</summary>
    public FuzzReport Run(IReadOnlyList<byte[]> seeds, TimeSpan duration, string? findingsDir, TextWriter? progress =
        null)
    {
        var report = new FuzzReport(target.Name, seed);
        var clock = Stopwatch.StartNew();
        var pool = seeds.Where(s => s.Length <= maxInputBytes).ToList();
        if (pool.Count == 0)
        {
            pool.Add("x"u8.ToArray());
        }

        foreach (var input in pool)
        {
            Execute(input, report, findingsDir, isSeed: true);
        }

        var nextProgress = TimeSpan.FromSeconds(10);
        while (clock.Elapsed < duration && report.Findings.Count < 20)
        {
            var input = Mutate(pool);
            Execute(input, report, findingsDir, isSeed: false);
            if (progress is not null && clock.Elapsed > nextProgress)
            {
                report.Elapsed = clock.Elapsed;
                progress.WriteLine($"{target.Name}: {report}");
                nextProgress += TimeSpan.FromSeconds(10);
            }
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private void Execute(byte[] input, FuzzReport report, string? findingsDir, bool isSeed)
    {
        var started = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            target.Run(input);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        report.Executions++;
        if (isSeed)
        {
            report.Seeds++;
        }

        report.TotalInputBytes += input.Length;
        if (elapsed > report.Slowest)
        {
            report.Slowest = elapsed;
        }

        if (failure is null)
        {
            return;
        }

        var key = failure.GetType().Name + ": " + FirstLine(failure.Message);
        if (report.Findings.Any(f => f.Key == key))
        {
            return;
        }

        string? saved = null;
        if (findingsDir is not null)
        {
            Directory.CreateDirectory(findingsDir);
            saved = Path.Combine(findingsDir,
                $"{target.Name}-{Convert.ToHexStringLower(SHA256.HashData(input))[..16]}.bin");
            File.WriteAllBytes(saved, input);
            File.WriteAllText(saved + ".txt", failure.ToString());
        }

        report.Findings.Add(new FuzzFindingRecord(key, failure.ToString(), saved, input.Length));
    }

    private byte[] Mutate(List<byte[]> pool)
    {
        var data = new List<byte>(pool[_random.Next(pool.Count)]);
        var rounds = 1 + _random.Next(8);
        for (var i = 0; i < rounds; i++)
        {
            var at = data.Count == 0 ? 0 : _random.Next(data.Count + 1);
            switch (_random.Next(9))
            {
                case 0 when data.Count > 0:
                    var bit = _random.Next(data.Count);
                    data[bit] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[_random.Next(data.Count)] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                    break;
                case 2:
                    data.InsertRange(at, _tokens[_random.Next(_tokens.Length)]);
                    break;
                case 3 when data.Count > 0:
                    var start = _random.Next(data.Count);
                    data.RemoveRange(start, Math.Min(data.Count - start, 1 + _random.Next(64)));
                    break;
                case 4 when data.Count > 0:
                    var from = _random.Next(data.Count);
                    var length = Math.Min(data.Count - from, 1 + _random.Next(256));
                    var chunk = data.GetRange(from, length);
                    var times = 1 + _random.Next(_random.Next(10) == 0 ? 200 : 4);
                    for (var t = 0; t < times && data.Count < maxInputBytes; t++)
                    {
                        data.InsertRange(at, chunk);
                    }

                    break;
                case 5:
                    var other = pool[_random.Next(pool.Count)];
                    if (other.Length > 0)
                    {
                        var o = _random.Next(other.Length);
                        data.InsertRange(at, other.Skip(o).Take(1 + _random.Next(Math.Min(512, other.Length - o))));
                    }

                    break;
                case 6:
                    var random = new byte[1 + _random.Next(16)];
                    _random.NextBytes(random);
                    data.InsertRange(at, random);
                    break;
                case 7 when data.Count > 0:
                    var cut = _random.Next(data.Count);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
                default:
                    data.Insert(at, InterestingBytes[_random.Next(InterestingBytes.Length)]);
                    break;
            }
        }

        return data.Count > maxInputBytes ? data.GetRange(0, maxInputBytes).ToArray() : data.ToArray();
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOfAny(['\r', '\n']);
        var line = newline < 0 ? text : text[..newline];
        return line.Length > 160 ? line[..160] : line;
    }
}
