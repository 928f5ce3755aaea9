using System.Globalization;
using System.Text.Json;
using Cast2md.Services;

namespace Cast2md.Cli.Mcp;

/// <summary>A tool call's arguments, read by hand (no reflection): a missing or mistyped one is a clear tool error.</summary>
internal sealed class McpArguments(IDictionary<string, JsonElement>? values)
{
    public long RequiredLong(string name) => OptionalLong(name) ?? throw new InvalidRequestException($"Give '{name}' (a number).");

    public long? OptionalLong(string name)
    {
        if (values is null || !values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        if (
            value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)
        )
            return number;
        throw new InvalidRequestException($"'{name}' must be a whole number.");
    }

    public double? OptionalDouble(string name)
    {
        if (values is null || !values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number)
            return value.GetDouble();
        if (
            value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        )
            return number;
        throw new InvalidRequestException($"'{name}' must be a number.");
    }

    public string RequiredString(string name) =>
        OptionalString(name) is { Length: > 0 } text ? text : throw new InvalidRequestException($"Give '{name}' (text).");

    public string? OptionalString(string name)
    {
        if (values is null || !values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : throw new InvalidRequestException($"'{name}' must be text.");
    }
}
