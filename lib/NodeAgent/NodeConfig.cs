using System.Text.Json;
using System.Text.Json.Serialization;
using Cast2md.Errors;
using Cast2md.Json;

namespace Cast2md.NodeAgent;

/// <summary>
/// <c>~/.cast2md/node.json</c>: the node's credentials, as the original writes them (<c>server_url, node_id, api_key, name</c>)
/// plus <c>url</c>, the status URL it registered. Written atomically and never readable by other users (mode 0600 from creation).
/// </summary>
public sealed record NodeConfig(string ServerUrl, string NodeId, string ApiKey, string Name, string? Url = null)
{
    /// <summary>Environment variable that moves node.json elsewhere.</summary>
    public const string PathVariable = Settings.SettingDefinitions.NodeConfigPath;

    /// <summary><c>$CAST2MD_NODE_CONFIG</c>, else <c>~/.cast2md/node.json</c>.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path
            ? Files.HomePath.Expand(path)
            : Path.Combine(NodePaths.Home, "node.json");

    /// <summary>The server URL without a trailing slash, as a base for API paths.</summary>
    [JsonIgnore]
    public Uri ServerUri => new(ServerUrl.TrimEnd('/') + "/");

    /// <summary>Reads node.json; null when it does not exist. A damaged file is an error naming it.</summary>
    public static NodeConfig? Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
            return null;
        try
        {
            var config = JsonSerializer.Deserialize(File.ReadAllText(path), Cast2mdJsonContext.Default.NodeConfig);
            if (
                config is null
                || string.IsNullOrWhiteSpace(config.ServerUrl)
                || string.IsNullOrWhiteSpace(config.NodeId)
                || string.IsNullOrWhiteSpace(config.ApiKey)
            )
                throw new Cast2mdException($"{path} lacks server_url, node_id or api_key; run cast2md node register again.");
            return config with { Name = config.Name ?? "" };
        }
        catch (JsonException ex)
        {
            throw new Cast2mdException($"{path} is not valid JSON ({ex.Message}); run cast2md node register again.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Cast2mdException($"Cannot read {path}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes node.json atomically (temporary file created 0600, flushed, renamed over the old one).</summary>
    public void Save(string? path = null)
    {
        path = Path.GetFullPath(path ?? DefaultPath);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, this, Cast2mdJsonContext.Default.NodeConfig);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException) { }
            throw;
        }
    }

    /// <summary>The key for display: its first four characters, the rest masked.</summary>
    [JsonIgnore]
    public string MaskedApiKey => ApiKey.Length <= 8 ? "****" : ApiKey[..4] + new string('*', 8);
}
