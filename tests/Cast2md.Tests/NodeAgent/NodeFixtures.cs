using Cast2md.NodeAgent;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cast2md.Tests.NodeAgent;

/// <summary>A node registered with a <see cref="FixtureServer"/>, and sample results.</summary>
internal static class NodeFixtures
{
    public const string Key = "node-key-0123456789abcdef";

    public static NodeConfig ConfigFor(FixtureServer server, string nodeId = "node-1") =>
        new(server.BaseUrl.ToString().TrimEnd('/'), nodeId, Key, "test node");

    public static NodeClient ClientFor(FixtureServer server, HttpClient http, string nodeId = "node-1") => new(http, ConfigFor(server, nodeId));

    public static SpooledResult Result(NodeConfig config, long jobId, DateTime? at = null) =>
        new(
            config.ServerUrl,
            config.NodeId,
            jobId,
            $"lease-{jobId}",
            "base",
            new TranscriptJsonDocument(
                null,
                "en",
                0.98,
                "base",
                3500,
                null,
                [new TranscriptJsonSegment(0, 3500, 0m, 3.5m, $"Words of job {jobId}.")]
            ),
            at ?? DateTime.UtcNow
        );

    public static ResultSpool Spool(string directory) => new(directory, NullLogger.Instance);
}
