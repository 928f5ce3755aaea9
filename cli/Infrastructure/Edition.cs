using System.Diagnostics.CodeAnalysis;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// Which commands this build carries. The full edition (the default) has them all. The node edition
/// (<c>make publish-node</c>, which passes <c>-p:Cast2mdEdition=node</c>) is the same program for transcriber machines:
/// <c>node …</c> (<c>node monitor</c> too), <c>transcribe</c>, <c>model</c> and the library commands, without
/// <c>serve</c>, <c>mcp</c>, <c>import</c> and <c>monitor</c>. The switch is a trimming feature switch: in the node
/// edition the property is the constant false, so the Native-AOT compiler drops those commands' code together with the
/// server's endpoints, the MCP SDK and Npgsql, and a node installs in about two thirds of the size.
/// </summary>
internal static class Edition
{
    private const string FullSwitch = "Cast2md.Edition.Full";

    [FeatureSwitchDefinition(FullSwitch)]
    public static bool IsFull => !AppContext.TryGetSwitch(FullSwitch, out var full) || full;

    /// <summary>Says that <paramref name="command"/> is not in this edition and returns the usage exit code.</summary>
    public static int Missing(string command)
    {
        Log.Error(
            $"'{command}' is not in the node edition of cast2md, which carries what a transcriber node needs; "
                + "install the full edition on the machine that runs it (install.sh --server)"
        );
        return ExitCodes.Usage;
    }
}
