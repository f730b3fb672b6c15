using System.Diagnostics;
using System.Text;

namespace Gateway.MtaEdge.Tests.Interop.Support;

/// <summary>
/// A program the test starts itself (swaks, smtp-source, smtp-sink, python): output captured, every
/// wait bounded, and killed by its own process id (never by name) if it outlives the test.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ExternalProcess(string fileName, IEnumerable<string> arguments, string? standardInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            _process.StandardInput.Write(standardInput);
            _process.StandardInput.Close();
        }
    }

    /// <summary>Everything the program wrote so far (stdout and stderr interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, string? standardInput = null) =>
        new(fileName, arguments, standardInput);

    /// <summary>Runs to the end (killed after <paramref name="timeout"/>); returns the exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        await using var process = Start(fileName, arguments, standardInput);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process._process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{fileName} did not finish within {timeout}: {process.Output}");
        }

        // The asynchronous readers may still be delivering the last lines.
        process._process.WaitForExit();
        return (process._process.ExitCode, process.Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Left to the OS; it was told to die.
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            // Bounded: a long-running program keeps only its latest output.
            if (_output.Length > 1024 * 1024)
            {
                _output.Remove(0, _output.Length / 2);
            }

            _output.AppendLine(line);
        }
    }
}
