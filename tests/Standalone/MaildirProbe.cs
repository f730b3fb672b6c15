namespace Gateway.Standalone.Tests;

/// <summary>Looks into a Maildir++ tree laid out as &lt;root&gt;/&lt;domain&gt;/&lt;user&gt;/.</summary>
public sealed class MaildirProbe(string root, string domain = "example.test")
{
    public string UserDir(string user) => Path.Combine(root, domain, user);

    public IReadOnlyList<string> Inbox(string user) => Files(UserDir(user));

    public IReadOnlyList<string> Junk(string user) => Files(Path.Combine(UserDir(user), ".Junk"));

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; false on timeout.</summary>
    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }

    private static IReadOnlyList<string> Files(string maildir) =>
        new[] { "new", "cur" }
            .Select(sub => Path.Combine(maildir, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .ToList();
}
