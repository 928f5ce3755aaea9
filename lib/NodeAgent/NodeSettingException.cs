using Cast2md.Errors;

namespace Cast2md.NodeAgent;

/// <summary>A node setting has a value that cannot be used; the message names the variable.</summary>
public sealed class NodeSettingException(string variable, string message) : Cast2mdException(message)
{
    public string Variable { get; } = variable;
}
