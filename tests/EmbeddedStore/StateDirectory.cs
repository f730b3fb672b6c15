namespace Gateway.EmbeddedStore.Tests;

/// <summary>Copies a running server's state directory, as a SIGKILL would leave it on disk at that moment.</summary>
internal static class StateDirectory
{
    public static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            if (!file.EndsWith(".lock", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        foreach (var dir in Directory.GetDirectories(source))
        {
            Copy(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }
}
