namespace Cast2md.Models;

public static partial class ModelCatalog
{
    /// <summary>Compute types accepted in <c>WHISPER_COMPUTE_TYPE</c> (faster-whisper's names plus ggml's), for help text.</summary>
    public static IReadOnlyList<string> ComputeTypes { get; } =
    [
        "int8",
        "int8_float16",
        "int8_float32",
        "int8_bfloat16",
        "q8_0",
        "float16",
        "float32",
        "bfloat16",
        "int16",
        "f16",
        "default",
        "auto",
        "q5_1",
        "int5",
        "q5_0",
    ];

    /// <summary>The file variant a compute type asks for: null is the plain f16 file. <paramref name="notice"/> is set when ggml has no exact match.</summary>
    private static string? VariantFor(string? computeType, out string? notice)
    {
        notice = null;
        var key = (computeType ?? "").Trim().ToLowerInvariant().Replace('-', '_');
        switch (key)
        {
            case "int8" or "int8_float16" or "int8_float32" or "int8_bfloat16" or "q8_0" or "q8":
                return "q8_0";
            case "" or "float16" or "float32" or "default" or "auto" or "f16" or "fp16" or "f32" or "fp32":
                return null;
            case "bfloat16" or "bf16" or "int16":
                notice = $"whisper.cpp publishes no {key} model files; using the f16 file for WHISPER_COMPUTE_TYPE={computeType}.";
                return null;
            case "q5_1" or "int5":
                return "q5_1";
            case "q5_0":
                return "q5_0";
            default:
                throw new ModelException($"Unknown compute type '{computeType}'. Use one of: {string.Join(", ", ComputeTypes)}.");
        }
    }

    /// <summary>The published variants to try, nearest first, when <paramref name="wanted"/> is missing for a model.</summary>
    // A quantised request falls back to another quantisation before the f16 file: whoever asked for int8 wants the
    // smaller, faster file, and a q5 file is closer to that than a 2-4x larger f16 one.
    private static string?[] FallbackOrder(string? wanted) =>
        wanted switch
        {
            "q8_0" => ["q8_0", "q5_1", "q5_0", null],
            "q5_1" => ["q5_1", "q5_0", "q8_0", null],
            "q5_0" => ["q5_0", "q5_1", "q8_0", null],
            _ => [null],
        };

    private static string Describe(string? variant, string? computeType) =>
        variant switch
        {
            null => "f16",
            _ when string.IsNullOrWhiteSpace(computeType) || string.Equals(computeType.Trim(), variant, StringComparison.OrdinalIgnoreCase) =>
                variant,
            _ => $"{computeType.Trim()} ({variant})",
        };
}
