namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Waits for something another task does, bounded in time; never measures it.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException("gave up waiting for: " + what);
    }
}
