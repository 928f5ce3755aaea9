using System.Text.Json;
using Cast2md.Files;
using Cast2md.Json;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

/// <summary>
/// Results are written here before they are uploaded and deleted only once the server answered 200 or 409, so a
/// server (or node) dying mid-upload loses nothing (the original only logged a failed upload, and the transcript was lost). A result the server
/// refuses outright (403/404/422) is moved to <c>rejected/</c> rather than deleted.
/// </summary>
public sealed class ResultSpool(string directory, ILogger logger)
{
    public string Directory { get; } = directory;

    /// <summary>
    /// <c>{job}-{server and node}.json</c>: a job id is only unique on one server, so the file name also carries a short
    /// digest of the server URL and the node id (one HOME serving two servers keeps both results).
    /// </summary>
    public string PathOf(SpooledResult result) => Path.Combine(Directory, $"{result.JobId}-{Owner(result.ServerUrl, result.NodeId)}.json");

    /// <summary>Writes <paramref name="result"/> atomically (replacing an older result of the same job, server and node).</summary>
    public async Task WriteAsync(SpooledResult result, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, Cast2mdJsonContext.Default.SpooledResult);
        await AtomicFile.WriteAllBytesAsync(PathOf(result), bytes, cancellationToken).ConfigureAwait(false);
    }

    private static string Owner(string serverUrl, string nodeId) =>
        Convert.ToHexStringLower(
            System
                .Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(serverUrl.TrimEnd('/').ToLowerInvariant() + "\n" + nodeId))
                .AsSpan(0, 6)
        );

    /// <summary>Every readable result, oldest first; unreadable files are logged and left alone.</summary>
    public IReadOnlyList<SpooledResult> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        var results = new List<SpooledResult>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(file), Cast2mdJsonContext.Default.SpooledResult) is { } result)
                    results.Add(result);
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("spool: cannot read {File}: {Message}", file, ex.Message);
            }
        }
        return results.OrderBy(r => r.SpooledAt).ToList();
    }

    /// <summary>The results of this node on this server: the only ones it may upload (its key goes to that server only).</summary>
    public IReadOnlyList<SpooledResult> ReadFor(NodeConfig config) =>
        ReadAll().Where(r => SameServer(r.ServerUrl, config.ServerUrl) && r.NodeId == config.NodeId).ToList();

    public int Count => System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "*.json").Count() : 0;

    /// <summary>Removes a delivered result; a spool that cannot be written (the result lived only in memory) is no error.</summary>
    public void Delete(SpooledResult result)
    {
        try
        {
            File.Delete(PathOf(result));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("spool: cannot delete the delivered result of job {JobId}: {Message}", result.JobId, ex.Message);
        }
    }

    /// <summary>Keeps a result the server refused in <c>rejected/</c>, out of the upload queue.</summary>
    public void Reject(SpooledResult result)
    {
        try
        {
            var rejected = Path.Combine(Directory, "rejected");
            System.IO.Directory.CreateDirectory(rejected);
            if (File.Exists(PathOf(result)))
                File.Move(PathOf(result), Path.Combine(rejected, Path.GetFileName(PathOf(result))), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("spool: cannot keep the refused result of job {JobId}: {Message}", result.JobId, ex.Message);
        }
    }

    private static bool SameServer(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
