using System.Diagnostics;

namespace Cast2md.Tests.Infra;

/// <summary>
/// A program in a detached tmux session on its own server socket (-L), so specs never touch the user's tmux: keys go
/// in with send-keys, the screen comes out with capture-pane.
/// </summary>
public sealed class TmuxSession : IDisposable
{
    private readonly string _socket = "cast2md-spec-" + Guid.NewGuid().ToString("N")[..12];
    private const string Target = "monitor";

    public static bool IsAvailable { get; } = Which("tmux");

    /// <summary>Starts <paramref name="command"/> (run by sh) in a <paramref name="width"/>×<paramref name="height"/> window; when it exits the pane prints "[exited N]" and stays.</summary>
    public TmuxSession(string command, int width = 100, int height = 30)
    {
        if (!IsAvailable)
            throw new InvalidOperationException(
                "tmux is not installed: the monitor's end-to-end specs drive the published binary in tmux; `make setup` installs it (scripts/install-deps.sh)."
            );
        Run(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            Target,
            "-x",
            width.ToString(),
            "-y",
            height.ToString(),
            $"{command}; echo \"[exited $?]\"; sleep 600"
        );
    }

    public string Capture() => Run("capture-pane", "-p", "-t", Target);

    /// <summary>Keys as tmux names them ("q", "Enter", "Tab", "C-c") or literal text with <paramref name="literal"/>.</summary>
    public void Send(string keys, bool literal = false) => Run(literal ? ["send-keys", "-t", Target, "-l", keys] : ["send-keys", "-t", Target, keys]);

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; the last screen is in the failure message.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        string screen;
        while (true)
        {
            screen = Capture();
            if (condition(screen))
                return screen;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {seconds} s waiting for {what}; the screen:\n{screen}");
            await Task.Delay(200);
        }
    }

    public Task<string> WaitForTextAsync(string text, int seconds = 60) =>
        WaitForAsync(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'", seconds);

    private string Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        return output;
    }

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));

    public void Dispose()
    {
        try
        {
            Run("kill-server");
        }
        catch (InvalidOperationException) { }
    }
}
