using System.Runtime.InteropServices;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// Raises this process's open-file limit (RLIMIT_NOFILE) towards its hard limit, so thousands of client sockets fit;
/// processes started afterwards (the gateway) inherit it.
/// </summary>
public static partial class FileDescriptorLimit
{
    private const int RlimitNofile = 7;

    public static (ulong Soft, ulong Hard) Raise(ulong wanted)
    {
        if (!OperatingSystem.IsLinux() || GetRlimit(RlimitNofile, out var limit) != 0)
        {
            return (0, 0);
        }

        if (limit.Current < wanted)
        {
            var raised = new Rlimit { Current = Math.Min(wanted, limit.Maximum), Maximum = limit.Maximum };
            if (SetRlimit(RlimitNofile, ref raised) == 0)
            {
                limit = raised;
            }
        }

        return (limit.Current, limit.Maximum);
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRlimit(int resource, ref Rlimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
