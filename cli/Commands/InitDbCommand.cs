using Cast2md.DataFolder;
using Cast2md.Services;

namespace Cast2md.Cli.Commands;

internal sealed class InitDbCommand
{
    /// <summary>Create the data folder and its database, or bring an existing one up to date (the original's init-db; every command also does this when it first opens the folder).</summary>
    /// <param name="dataDir">Data folder. Default: $CAST2MD_DATA_DIR, else ~/.cast2md/data.</param>
    [ConsoleAppFramework.Command("init-db")]
    public int Run(string? dataDir = null)
    {
        var folder = DataDirectory.Resolve(dataDir);
        Cast2mdCore.Open(folder);
        Console.WriteLine(DataDirectory.DatabasePath(folder));
        return 0;
    }
}
