using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Errors;
using Cast2md.Json;
using Cast2md.NodeAgent;
using Cast2md.Settings;
using ConsoleAppFramework;

namespace Cast2md.Cli.NodeAgent;

/// <summary>cast2md node register|start|status|unregister: this machine as a transcriber node of a cast2md server.</summary>
[RegisterCommands("node")]
internal sealed partial class NodeAgentCommands
{
    /// <summary>Register this machine with a server; the credentials go to ~/.cast2md/node.json (mode 0600).</summary>
    /// <param name="server">-s, Server URL, e.g. http://192.168.1.100:8000.</param>
    /// <param name="name">-n, Node name shown on the server.</param>
    /// <param name="url">Status URL the server's Test probes. Default: http://{this machine's address towards the server}:{port}.</param>
    /// <param name="port">Port of the node's status endpoint (cast2md node start --port).</param>
    /// <param name="token">Registration token (the server's CAST2MD_REGISTRATION_TOKEN). Default: $CAST2MD_REGISTRATION_TOKEN.</param>
    /// <param name="priority">Lower numbers are served first.</param>
    /// <param name="json">Print the result as JSON.</param>
    [Command("register")]
    public async Task<int> RegisterAsync(
        string server,
        string name,
        string? url = null,
        int port = 8001,
        string? token = null,
        int? priority = null,
        bool json = false,
        CancellationToken cancellationToken = default
    )
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("http" or "https"))
            throw new UsageException($"--server '{server}' is not an http(s) URL.");
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException("--name must not be empty.");
        if (port is < 1 or > 65535)
            throw new UsageException("--port must be between 1 and 65535.");
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
            throw new UsageException($"--url '{url}' is not an absolute URL.");
        var serverUrl = serverUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var baseUri = new Uri(serverUrl + "/");
        var env = LocalSettings.Process;
        var whisper = ReadOptions(env).Whisper;
        var statusUrl = url?.TrimEnd('/') ?? RegistrationClient.DefaultStatusUrl(baseUri, port);

        using var http = NodeClient.CreateHttpClient();
        var request = new NodeRegisterRequest(
            name.Trim(),
            statusUrl,
            whisper.Model,
            NodeWhisperOptions.Engine,
            null,
            priority,
            token ?? env.Get(SettingDefinitions.RegistrationToken)
        );
        var path = NodeConfig.DefaultPath;
        // Registering again under the same name at the same server: present the current key, so the server gives
        // this node its own row back instead of a new one (a name alone is no proof of identity).
        var currentKey =
            ExistingConfig(path) is { } previous && previous.ServerUrl.TrimEnd('/') == serverUrl && previous.Name == name.Trim()
                ? previous.ApiKey
                : null;
        var response = await RegistrationClient.RegisterAsync(
            http,
            baseUri,
            request,
            env.Get(SettingDefinitions.AdminToken),
            cancellationToken,
            currentKey
        );

        new NodeConfig(serverUrl, response.NodeId, response.ApiKey, name.Trim(), statusUrl).Save(path);
        if (json)
        {
            JsonOutput.Write(
                new CliNodeRegistered(response.NodeId, name.Trim(), serverUrl, statusUrl, path),
                Cast2mdJsonContext.Default.CliNodeRegistered
            );
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Registered node {response.NodeId} ('{name.Trim()}') with {serverUrl}");
        Console.WriteLine($"Status URL:  {statusUrl}");
        Console.WriteLine($"Credentials: {path} (readable by you only)");
        Console.WriteLine("Start it with: cast2md node start");
        return ExitCodes.Ok;
    }

    /// <summary>Remove this node from its server (its jobs go back to the queue) and delete node.json.</summary>
    /// <param name="force">-f, Delete node.json even when the server cannot be reached.</param>
    [Command("unregister")]
    public async Task<int> UnregisterAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        var path = NodeConfig.DefaultPath;
        var config = NodeConfig.Load(path) ?? throw new Cast2mdException($"This machine is not registered ({path} does not exist).");
        using var http = NodeClient.CreateHttpClient();
        try
        {
            await new NodeClient(http, config).UnregisterAsync(cancellationToken);
            Log.Info($"the server removed node {config.NodeId}");
        }
        catch (ApiCallException ex) when (ex.StatusCode is 401 or 404)
        {
            Log.Warn($"the server no longer knows node {config.NodeId} ({ex.StatusCode}); removing the local credentials");
        }
        catch (ApiCallException ex) when (!force)
        {
            throw new Cast2mdException(
                $"Cannot unregister: {ex.Message}. node.json is kept; try again when the server is reachable, or use --force.",
                ex
            );
        }
        catch (ApiCallException ex)
        {
            Log.Warn($"the server was not told ({ex.Message}); --force: removing the local credentials anyway");
        }
        File.Delete(path);
        Console.WriteLine($"Unregistered; deleted {path}");
        return ExitCodes.Ok;
    }

    private static NodeOptions ReadOptions(LocalSettings env)
    {
        try
        {
            return NodeOptions.Read(env);
        }
        catch (NodeSettingException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static NodeConfig RequireConfig(string path) =>
        NodeConfig.Load(path)
        ?? throw new Cast2mdException(
            $"This machine is not registered as a node ({path} does not exist): run cast2md node register --server URL --name NAME."
        );

    /// <summary>node.json if it exists and can be read; a damaged one is simply replaced by this registration.</summary>
    private static NodeConfig? ExistingConfig(string path)
    {
        try
        {
            return NodeConfig.Load(path);
        }
        catch (Cast2mdException)
        {
            return null;
        }
    }
}
