using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Queue.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Queue;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Flush_Directory_Succeeds()
    {
        DirectorySync.Flush(_directory.Path);
    }

    [Fact]
    public void Flush_RegularFile_FailsBecauseOnlyDirectoriesAreOpened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = Path.Combine(_directory.Path, "file");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(file));
        Assert.Contains("open(", error.Message);
    }

    [Fact]
    public void Flush_MissingDirectory_Fails()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(_directory.Path, "missing")));
    }
}
