using Cast2md.Cli.Infrastructure;
using Cast2md.DataFolder;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class InitDbCommand
{
    /// <summary>Create the data folder and its database, or bring an existing one up to date (the original's init-db; every command also does this when it first opens the folder).</summary>
    [ConsoleAppFramework.Command("init-db")]
    public int Run()
    {
        var folder = GlobalOptions.DataDirectory;
        Cast2mdCore.Open(folder);
        Console.WriteLine(DataDirectory.DatabasePath(folder));
        return 0;
    }
}
