using System.Diagnostics;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// A small file system of a fixed size mounted at a directory, for disk-full tests: a tmpfs with size=, or, where
/// tmpfs cannot be mounted, an ext4 image on a loop device. Needs root (the Test command runs as root). Unmounted on
/// dispose.
/// </summary>
public sealed class SizedFileSystem : IDisposable
{
    private readonly string? _image;

    private SizedFileSystem(string mountPoint, string kind, string? image)
    {
        MountPoint = mountPoint;
        Kind = kind;
        _image = image;
    }

    public string MountPoint { get; }

    /// <summary>"tmpfs" or "loop".</summary>
    public string Kind { get; }

    public static SizedFileSystem Mount(string mountPoint, int megabytes)
    {
        Directory.CreateDirectory(mountPoint);
        var (tmpfs, tmpfsError) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs",
            mountPoint);
        if (tmpfs)
        {
            return new SizedFileSystem(mountPoint, "tmpfs", null);
        }

        var image = mountPoint.TrimEnd('/') + ".img";
        using (var file = File.Create(image))
        {
            file.SetLength(megabytes * 1024L * 1024L);
        }

        var (mkfs, mkfsError) = Run("mkfs.ext4", "-q", "-F", image);
        var (loop, loopError) = mkfs ? Run("mount", "-o", "loop", image, mountPoint) : (false, "");
        if (!loop)
        {
            File.Delete(image);
            throw new InvalidOperationException(
                $"cannot mount a {megabytes} MB file system at {mountPoint} (root needed): tmpfs: {tmpfsError}; " +
                $"loop: {mkfsError}{loopError}");
        }

        return new SizedFileSystem(mountPoint, "loop", image);
    }

    public long FreeBytes => new DriveInfo(MountPoint).AvailableFreeSpace;

    /// <summary>
    /// Writes <paramref name="path"/> until the file system refuses (ENOSPC); returns the bytes written.
    /// </summary>
    public static long Fill(string path)
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
        for (var size = chunk.Length; size >= 512;)
        {
            try
            {
                stream.Write(chunk, 0, size);
                stream.Flush(flushToDisk: true);
                written += size;
            }
            catch (IOException)
            {
                size /= 2;
            }
        }

        return written;
    }

    public void Dispose()
    {
        // Lazy unmount: a process that still has a file open there (a gateway that failed to stop) cannot block it.
        Run("umount", MountPoint);
        if (IsMounted(MountPoint))
        {
            Run("umount", "-l", MountPoint);
        }

        if (_image is not null)
        {
            File.Delete(_image);
        }
    }

    private static bool IsMounted(string mountPoint) =>
        File.ReadAllLines("/proc/mounts").Any(l => l.Split(' ').ElementAtOrDefault(1) == mountPoint);

    private static (bool Ok, string Error) Run(string command, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(30_000);
            return (process.HasExited && process.ExitCode == 0, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }
}
