using System.Text;
using System.Text.RegularExpressions;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// ConsoleAppFramework answers a command line that names no command of ours with the help text and exit 0, so a typo
/// in a cron line would "succeed" silently. What the framework prints while no command has been routed (help, version)
/// is held here; when the run ends without routing, the words the command line starts with are looked up in the
/// "Commands:" list of that help, which is the framework's own registry: a command or group there gets its help as
/// before, anything else an error on stderr and the usage exit code. No second list of command names is kept.
/// </summary>
internal static partial class UnknownCommands
{
    private static readonly StringBuilder Held = new();

    /// <summary>ConsoleApp.Log: written at once once a command runs, held before.</summary>
    public static void Write(string message)
    {
        if (GlobalOptions.Routed)
            Console.WriteLine(message);
        else
            Held.AppendLine(message);
    }

    /// <summary>Prints what was held, or returns the unknown command the line named (and prints nothing).</summary>
    public static string? Release(string[] args)
    {
        var text = Held.ToString();
        Held.Clear();
        var words = args.TakeWhile(a => !a.StartsWith('-')).ToArray();
        if (
            !GlobalOptions.Routed
            && words.Length > 0
            && ListedCommands(text) is { } listed
            && !listed.Any(command => StartsWithWords(command, words))
        )
            return string.Join(' ', words);
        Console.Write(text);
        return null;
    }

    /// <summary>The command names of a help text's "Commands:" section; null for one command's own help, which has none.</summary>
    internal static List<string[]>? ListedCommands(string help)
    {
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, line => line.TrimEnd() == "Commands:");
        if (start < 0)
            return null;
        return lines
            .Skip(start + 1)
            .Select(line => CommandLine().Match(line.TrimEnd('\r')))
            .TakeWhile(match => match.Success)
            .Select(match => match.Groups["name"].Value.Split(' '))
            .ToList();
    }

    // A group's words may not be followed by more words than its commands have (`feed list x` is no command).
    private static bool StartsWithWords(string[] command, string[] words) =>
        words.Length <= command.Length && words.Select((word, i) => word == command[i]).All(same => same);

    // "  feed list    List the subscribed feeds…": two spaces, the name's words one space apart, then two or more.
    [GeneratedRegex(@"^  (?<name>\S+(?: \S+)*)(?:\s{2,}.*)?$")]
    private static partial Regex CommandLine();
}
