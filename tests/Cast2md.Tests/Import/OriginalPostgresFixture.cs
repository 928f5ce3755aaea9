using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Import;

/// <summary>One PostgreSQL server for a spec class (each spec makes its own database in it).</summary>
public sealed class OriginalPostgresFixture : IAsyncLifetime
{
    private readonly TempDir _dir = TempDir.Create();
    private int _databases;

    public OriginalPostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await OriginalPostgresServer.StartAsync(_dir.Combine("pg"));

    /// <summary>A fresh database holding the original's schema; its name.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"original_{Interlocked.Increment(ref _databases)}";
        await Server.CreateDatabaseAsync(name);
        return name;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
