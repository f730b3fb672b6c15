using System.Runtime.InteropServices;

namespace Gateway.MtaEdge.Queue;

/// <summary>
/// Flushes a directory's entries to disk. A rename or create is durable only once the directory that
/// holds the new name is synced (POSIX fsync(2) on the directory); .NET cannot open a directory as a
/// file, so this goes through libc.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int InvalidArgument = 22; // EINVAL: the file system cannot sync directories.

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS journals directory changes itself and offers no directory handle to flush.
            return;
        }

        var fd = NativeMethods.open(directory, ReadOnly | DirectoryFlags);
        if (fd < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (NativeMethods.fsync(fd) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    /// <summary>O_DIRECTORY | O_CLOEXEC, whose values differ between kernels and architectures.</summary>
    private static int DirectoryFlags
    {
        get
        {
            if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            {
                return 0x100000 | 0x1000000;
            }

            var arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64;
            return (arm ? 0x4000 : 0x10000) | 0x80000;
        }
    }

    private static IOException Failure(string call, string directory)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({directory}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
