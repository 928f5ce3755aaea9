using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cast2md.Cli.Output;

/// <summary>--json: exactly one JSON document on stdout (source-generated, snake_case); logs stay on stderr.</summary>
internal static class JsonOutput
{
    public static void Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, typeInfo));
        Console.Out.Flush();
    }
}
