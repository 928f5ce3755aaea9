namespace Cast2md.Tests.Infra;

/// <summary>Polls a condition that another process makes true, with a deadline instead of a fixed sleep.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
