using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cast2md.Tests.Import;

/// <summary>
/// A throw-away PostgreSQL server for the import specs and benchmark: initdb into a temp folder, started with pg_ctl on
/// a free loopback port (its socket in the same folder), password authentication over TCP. PostgreSQL refuses to run
/// as root, and CI runs as root: then the folder is given to 'nobody' and every server command runs through runuser.
/// </summary>
public sealed class OriginalPostgresServer : IAsyncDisposable
{
    public const string User = "cast2md_original";
    public const string Password = "s3cret-original-pw";

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asNobody;

    private OriginalPostgresServer(string bin, string root, int port, bool asNobody)
    {
        _bin = bin;
        _root = root;
        Port = port;
        _asNobody = asNobody;
    }

    public int Port { get; }

    public string DataFolder => Path.Combine(_root, "data");

    /// <summary>The folder holding initdb, pg_ctl and postgres: the newest /usr/lib/postgresql/*/bin (Debian), else others' usual places, else PATH.</summary>
    public static string? FindBinaries()
    {
        var candidates = new List<string>();
        foreach (var parent in (string[])["/usr/lib/postgresql", "/usr/local/lib/postgresql"])
            if (Directory.Exists(parent))
                candidates.AddRange(Directory.GetDirectories(parent).OrderByDescending(VersionOf).Select(d => Path.Combine(d, "bin")));
        foreach (var parent in (string[])["/opt/homebrew/opt", "/usr/local/opt"])
            if (Directory.Exists(parent))
                candidates.AddRange(
                    Directory
                        .GetDirectories(parent, "postgresql@*")
                        .OrderByDescending(d => VersionOf(d.Replace("postgresql@", "")))
                        .Select(d => Path.Combine(d, "bin"))
                );
        candidates.AddRange(
            Directory.Exists("/usr")
                ? Directory.GetDirectories("/usr", "pgsql-*").OrderByDescending(VersionOf).Select(d => Path.Combine(d, "bin"))
                : []
        );
        candidates.AddRange(["/usr/bin", "/opt/homebrew/bin", "/usr/local/bin"]);
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));

        static double VersionOf(string folder) =>
            double.TryParse(Path.GetFileName(folder).Replace("pgsql-", ""), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    public static async Task<OriginalPostgresServer> StartAsync(string root)
    {
        var bin = FindBinaries()
            ?? throw new InvalidOperationException(
                "PostgreSQL's initdb/pg_ctl were not found (looked in /usr/lib/postgresql/*/bin and PATH): run scripts/install-deps.sh (Debian: apt-get install postgresql)."
            );
        Directory.CreateDirectory(root);
        var asNobody = Environment.UserName == "root" || Run("id", ["-u"]).Trim() == "0";
        if (asNobody)
        {
            Run("chown", ["-R", "nobody", root]);
            // 'nobody' must be able to pass through the folders above it, whatever the umask that made them.
            for (var folder = Directory.GetParent(root); folder is not null && folder.FullName != "/"; folder = folder.Parent)
                if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(folder.FullName).HasFlag(UnixFileMode.OtherExecute))
                    File.SetUnixFileMode(folder.FullName, File.GetUnixFileMode(folder.FullName) | UnixFileMode.OtherExecute);
        }
        var server = new OriginalPostgresServer(bin, root, FreePort(), asNobody);
        var passwordFile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (asNobody)
            Run("chown", ["nobody", passwordFile]);
        server.Server(
            "initdb",
            [
                "-D",
                server.DataFolder,
                "-U",
                User,
                "--pwfile",
                passwordFile,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ]
        );
        // Durability is of no use to a database that lives for one spec run.
        server.Server(
            "pg_ctl",
            [
                "-D",
                server.DataFolder,
                "-l",
                Path.Combine(root, "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start",
            ]
        );
        return server;
    }

    /// <summary>A postgresql:// URL as the original's DATABASE_URL would be.</summary>
    public string Url(string database, string? password = Password) =>
        $"postgresql://{User}{(password is null ? "" : ":" + Uri.EscapeDataString(password))}@127.0.0.1:{Port}/{database}";

    public NpgsqlDataSource DataSource(string database) =>
        NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = Port,
                Username = User,
                Password = Password,
                Database = database,
                Pooling = false,
            }.ConnectionString
        );

    /// <summary>Creates an empty database and loads the original's schema into it.</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        await using (var admin = DataSource("postgres"))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{name}\""))
            await create.ExecuteNonQueryAsync();
        await using var source = DataSource(name);
        await using var schema = source.CreateCommand(OriginalSchema.Sql);
        await schema.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Server("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException) { }
        await Task.CompletedTask;
    }

    /// <summary>Runs a PostgreSQL program, as 'nobody' when we are root.</summary>
    private void Server(string program, string[] arguments)
    {
        var path = Path.Combine(_bin, program);
        if (_asNobody)
            Run("runuser", ["-u", "nobody", "--", path, .. arguments], _root);
        else
            Run(path, arguments, _root);
    }

    private static string Run(string file, string[] arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} did not finish within 2 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        return output.Result;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
