using CliWrap.Buffered;

namespace Cast2md.Tests.Infra;

/// <summary>
/// `cast2md node start` from the published binary as a real child process with its own HOME (so its own
/// ~/.cast2md/node.json and spool), its status endpoint on a free loopback port.
/// </summary>
public sealed class NodeProcess : Cast2mdProcess
{
    private NodeProcess(string home, IReadOnlyDictionary<string, string?> environment)
        : base(["node", "start", "--no-browser", "--port", "0"], WithHome(home, environment), "node status on ") => Home = home;

    public string Home { get; }

    public Uri StatusUrl { get; private set; } = null!;

    /// <summary>A fresh HOME with the node registered at <paramref name="server"/> under <paramref name="name"/>.</summary>
    public static async Task<string> RegisterAsync(TempDir dir, Uri server, string name, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var home = dir.Combine("home-" + name);
        Directory.CreateDirectory(home);
        var result = await Cast2mdBinary
            .Command(
                ["node", "register", "--server", server.ToString().TrimEnd('/'), "--name", name],
                WithHome(home, environment ?? new Dictionary<string, string?>())
            )
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"node register failed ({result.ExitCode}): {result.StandardError}");
        return home;
    }

    public static async Task<NodeProcess> StartAsync(string home, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var node = new NodeProcess(home, environment ?? new Dictionary<string, string?>());
        try
        {
            node.StatusUrl = new Uri(await node.Announced.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("the node did not start:\n" + node.Log);
        }
        return node;
    }

    /// <summary>The variables a node process runs with: its HOME, the caller's, and NODE_PERSISTENT unless given.</summary>
    private static Dictionary<string, string?> WithHome(string home, IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment) { ["HOME"] = home, ["CAST2MD_NODE_CONFIG"] = null };
        variables.TryAdd("NODE_PERSISTENT", "1");
        variables.TryAdd("NODE_HEARTBEAT_INTERVAL_SECONDS", "1");
        return variables;
    }

    public string SpoolDirectory => Path.Combine(Home, ".cast2md", "spool");
}
