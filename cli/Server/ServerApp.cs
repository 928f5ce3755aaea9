using Cast2md.Cli.Server.Endpoints;
using Cast2md.Cli.Server.Guards;
using Cast2md.DataFolder;
using Cast2md.Json;
using Cast2md.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cast2md.Cli.Server;

/// <summary>Builds the Kestrel app (slim builder: Native AOT friendly) with the database, guards and endpoints.</summary>
internal static class ServerApp
{
    public static WebApplication Build(ServerOptions options)
    {
        options.CheckTokens();
        var core = Cast2mdCore.Open(options.DataDirectory);
        var adminToken = AdminToken.Load(options.DataDirectory);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.DataDirectory });
        builder.Logging.ClearProviders();
        // Logs go to stderr; stdout stays free for results.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The access guard sets each endpoint's own limit once the caller is known; this is the fallback.
            k.Limits.MaxRequestBodySize = Guards.BodyLimits.Default;
        });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, Cast2mdJsonContext.Default);
            // The original's JSON is snake_case both ways; the web defaults would read request bodies as camelCase.
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        // Made by the container, so the dispatcher logs through the app's console logger (a failed dispatch is a
        // warning on stderr) and is disposed, its dispatch loop stopped, with the app.
        builder.Services.AddSingleton(sp => new Cast2md.NodeRegistry.NodeDispatcher(
            core.Jobs,
            core.Signal,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<Cast2md.NodeRegistry.NodeDispatcher>(),
            idle: core.Idle
        ));
        builder.Services.AddSingleton(sp => new ServerServices(options, core, adminToken)
        {
            Dispatcher = sp.GetRequiredService<Cast2md.NodeRegistry.NodeDispatcher>(),
        });
        var allowedHosts = Guards.ServerHosts.Allowed(options, core.Settings.GetString(Cast2md.Settings.SettingDefinitions.AllowedHosts));
        Guards.RateLimits.Add(builder.Services);

        // Stateless streamable HTTP, as the original: each POST stands alone, so nothing is kept between requests.
        Mcp.McpServerSetup.AddCast2mdMcp(builder.Services, core, Cast2md.Net.Cast2mdHttp.Version).WithHttpTransport(o => o.Stateless = true);
        var app = builder.Build();
        // Created now rather than at the first request, so the dispatcher watches the queue from the start.
        app.Services.GetRequiredService<ServerServices>();
        app.Use(ApiErrors.HandleAsync);
        // Our own instance of ASP.NET Core's host filter, inside the error middleware so a refusal says why (the
        // builder's default one runs before everything and allows every host, as its options are left alone).
        app.Use(Guards.ServerHosts.Filter(app, allowedHosts));
        app.Use(
            static (context, next) =>
            {
                context.Items[Guards.ServerHosts.PassedItem] = true;
                return next(context);
            }
        );
        app.Use(Guards.AccessGuard.HandleAsync);
        app.UseRateLimiter();
        SystemEndpoints.Map(app);
        FeedEndpoints.Map(app);
        EpisodeEndpoints.Map(app);
        QueueEndpoints.Map(app);
        SettingsEndpoints.Map(app);
        NodeEndpoints.Map(app);
        SearchEndpoints.Map(app);
        // MCP for Claude and other agents: the admin API's access (the token beyond loopback), behind the same host and
        // origin checks as every route, which keep a web page from reaching it through DNS rebinding.
        app.MapMcp("/mcp").ForAdmin();
        return app;
    }

    /// <summary>The addresses Kestrel really bound (a port of 0 becomes a free port).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static string FormatHost(string host) =>
        host is "0.0.0.0" or "*" or "+" ? "0.0.0.0"
        : host.Contains(':') && !host.StartsWith('[') ? $"[{host}]"
        : host;
}
