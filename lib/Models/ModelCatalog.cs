namespace Cast2md.Models;

/// <summary>whisper.cpp's downloadable ggml models and the mapping from <c>WHISPER_MODEL</c> + <c>WHISPER_COMPUTE_TYPE</c> to one of them.</summary>
public static partial class ModelCatalog
{
    public const string DefaultModel = "large-v3-turbo";
    public const string DefaultComputeType = "int8";

    /// <summary>The catalogue entry stored as <paramref name="fileName"/> ("ggml-tiny.bin"), or null.</summary>
    public static ModelInfo? FindByFileName(string fileName) => ByFileName.GetValueOrDefault(fileName);

    /// <summary>
    /// Maps a model name and compute type to a catalogue file. A base name (tiny, large-v3-turbo) takes the
    /// variant the compute type asks for, or the nearest published one with a notice; a full file name
    /// (tiny-q8_0, ggml-tiny.bin) is taken as is; other tools' names (turbo, distil-large-v3,
    /// Systran/faster-whisper-large-v3) map onto ours with a notice. A null compute type means the plain f16 file.
    /// </summary>
    /// <exception cref="ModelException">Unknown model name (the message lists the valid ones) or compute type.</exception>
    public static ModelSelection Resolve(string name, string? computeType)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ModelException($"No Whisper model given. {ValidNamesHint()}");

        var trimmed = name.Trim();
        if (FindVoiceActivityModel(trimmed) is not null)
            throw NotAWhisperModel(trimmed);
        var key = trimmed;
        var isFileName = false;
        if (key.StartsWith("ggml-", StringComparison.OrdinalIgnoreCase))
        {
            key = key[5..];
            isFileName = true;
        }
        if (ModelPaths.HasBinExtension(key))
        {
            key = key[..^4];
            isFileName = true;
        }

        if (ByName.TryGetValue(key, out var exact))
        {
            // "tiny-q8_0" or "ggml-tiny.bin" names one file; only a bare base name takes the compute type.
            if (isFileName || exact.Quantization is not null)
                return new ModelSelection(exact, null);
            return SelectVariant(exact.Name, computeType, aliasNotice: null);
        }

        if (TryMapForeignName(trimmed, out var baseName, out var aliasNotice))
            return SelectVariant(baseName, computeType, aliasNotice);

        throw new ModelException($"Unknown Whisper model '{trimmed}'. {ValidNamesHint()}");
    }

    /// <summary>One sentence listing what <c>WHISPER_MODEL</c>/<c>--model</c> accept.</summary>
    public static string ValidNamesHint() =>
        $"Valid models: {string.Join(", ", BaseNames)} (combined with WHISPER_COMPUTE_TYPE, e.g. int8 or float16); "
        + $"or a file of the catalogue: {string.Join(", ", Entries.Where(e => e.Quantization is not null).Select(e => e.Name))}; "
        + "or a path to a ggml .bin file.";

    private static ModelSelection SelectVariant(string baseName, string? computeType, string? aliasNotice)
    {
        var wanted = VariantFor(computeType, out var computeNotice);
        foreach (var variant in FallbackOrder(wanted))
        {
            var candidate = variant is null ? baseName : $"{baseName}-{variant}";
            if (!ByName.TryGetValue(candidate, out var model))
                continue;
            var substitution =
                variant == wanted
                    ? computeNotice
                    : $"whisper.cpp publishes no {Describe(wanted, computeType)} file for {baseName}; using {model.FileName} ({Describe(variant, null)}) instead.";
            return new ModelSelection(model, Join(aliasNotice, substitution));
        }
        // Every base model has its f16 file, so the loop always returns.
        throw new InvalidOperationException($"Catalogue has no file for {baseName}.");
    }

    private static string? Join(string? first, string? second) =>
        first is null ? second
        : second is null ? first
        : $"{first} {second}";
}
