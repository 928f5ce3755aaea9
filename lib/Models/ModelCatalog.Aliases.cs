namespace Cast2md.Models;

public static partial class ModelCatalog
{
    // Names that openai-whisper, faster-whisper (which the Python cast2md used), distil-whisper and mlx-whisper give
    // the same or the nearest model. distil-large-* are distilled large-v3/v2 with a 2-layer decoder; whisper.cpp's
    // closest published equivalent is large-v3-turbo (large-v3 with a 4-layer decoder).
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["turbo"] = "large-v3-turbo",
        ["large"] = "large-v3", // faster-whisper and openai-whisper both mean large-v3 by "large"
        ["distil-large-v3.5"] = "large-v3-turbo",
        ["distil-large-v3"] = "large-v3-turbo",
        ["distil-large-v2"] = "large-v3-turbo",
        ["distil-medium.en"] = "medium.en",
        ["distil-small.en"] = "small.en",
    };

    // Repository-name decorations around the model name: Systran/faster-whisper-large-v3,
    // Systran/faster-distil-whisper-large-v3, mlx-community/whisper-large-v3-turbo-q4, deepdml/faster-whisper-large-v3-turbo-ct2.
    private static readonly string[] Prefixes = ["faster-distil-whisper-", "distil-whisper-", "faster-whisper-", "whisper-"];
    private static readonly string[] Suffixes = ["-ct2", "-mlx", "-fp16", "-fp32", "-f16", "-4bit", "-8bit", "-q4", "-q8", "-asr"];

    /// <summary>Maps another backend's name or Hugging Face id onto one of our base names, with a notice saying so.</summary>
    private static bool TryMapForeignName(string name, out string baseName, out string notice)
    {
        baseName = "";
        notice = "";
        var key = name.Trim();
        var slash = key.LastIndexOf('/');
        var isRepositoryId = slash >= 0;
        if (isRepositoryId)
            key = key[(slash + 1)..];

        var isDistil =
            key.StartsWith("faster-distil-", StringComparison.OrdinalIgnoreCase) || key.StartsWith("distil-", StringComparison.OrdinalIgnoreCase);
        foreach (var prefix in Prefixes)
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                key = key[prefix.Length..];
                break;
            }
        if (isDistil && !key.StartsWith("distil-", StringComparison.OrdinalIgnoreCase))
            key = "distil-" + key;
        for (var stripped = true; stripped; )
        {
            stripped = false;
            foreach (var suffix in Suffixes)
                if (key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    key = key[..^suffix.Length];
                    stripped = true;
                }
        }

        string? target = null;
        if (Aliases.TryGetValue(key, out var alias))
            target = alias;
        else if (ByName.TryGetValue(key, out var direct) && direct.Quantization is null)
            target = direct.Name;
        if (target is null)
            return false;

        baseName = target;
        notice =
            isDistil ? $"'{name.Trim()}' is a distil-whisper model, which whisper.cpp does not publish; using its nearest equivalent {target}."
            : isRepositoryId ? $"'{name.Trim()}' is another backend's model; using whisper.cpp's {target}."
            : $"'{name.Trim()}' is taken as whisper.cpp's {target}.";
        return true;
    }
}
