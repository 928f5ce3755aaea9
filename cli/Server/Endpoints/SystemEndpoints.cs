using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.DataFolder;
using Cast2md.Json;
using Cast2md.Settings;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>Health and status. The seed document says /api/system/health, the original serves /api/health: both work.</summary>
internal static class SystemEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", Health).ForEveryone();
        app.MapGet("/api/system/health", Health).ForEveryone();
        app.MapGet("/api/status", Status).ForAdmin();
    }

    private static IResult Health(ServerServices services)
    {
        var database = Probe(() =>
        {
            using var connection = services.Database.Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1;";
            command.ExecuteScalar();
        });
        var storage = Probe(() =>
        {
            var probe = Path.Combine(services.Options.DataDirectory, $".health-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        });
        var healthy = database && storage;
        var build = services.Core.Settings.GetString(SettingDefinitions.BuildVersion) is { Length: > 0 } b ? b : "dev";
        var response = new HealthResponse(
            healthy ? "healthy" : "unhealthy",
            database,
            storage,
            healthy ? "cast2md is running" : $"{(database ? "" : "database unavailable ")}{(storage ? "" : "data folder not writable")}".Trim(),
            build,
            services.Version
        );
        return TypedResults.Json(response, Cast2mdJsonContext.Default.HealthResponse, statusCode: healthy ? 200 : 503);
    }

    private static IResult Status(ServerServices services)
    {
        var counts = services.Episodes.StatusCounts();
        var episodeCounts = EpisodeCounts.From(counts);
        var response = new StatusResponse(
            // The effective settings (a database override included), as the transcription worker will use them.
            services.Feeds.Count(),
            episodeCounts,
            services.Core.Settings.GetString(SettingDefinitions.WhisperModel),
            services.Core.Settings.GetString(SettingDefinitions.WhisperDevice),
            services.Options.DataDirectory,
            DataDirectory.DatabasePath(services.Options.DataDirectory)
        );
        return TypedResults.Json(response, Cast2mdJsonContext.Default.StatusResponse);
    }

    private static bool Probe(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
