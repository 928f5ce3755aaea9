namespace Cast2md.Models;

/// <summary>Where model files live and where missing ones are downloaded from.</summary>
public sealed record ModelSettings
{
    /// <summary>whisper.cpp's public model repository; files are served as <c>{base}/ggml-{name}.bin</c>.</summary>
    public static Uri DefaultBaseUrl { get; } = new("https://huggingface.co/ggerganov/whisper.cpp/resolve/main");

    public const string ModelsDirectoryVariable = "CAST2MD_MODELS_DIR";
    public const string BaseUrlVariable = "CAST2MD_MODEL_BASE_URL";

    public required string ModelsDirectory { get; init; }
    public required Uri BaseUrl { get; init; }

    /// <summary>~/.cast2md/models.</summary>
    public static string DefaultModelsDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cast2md", "models");

    /// <summary>
    /// <c>CAST2MD_MODELS_DIR</c> (else ~/.cast2md/models) and <c>CAST2MD_MODEL_BASE_URL</c> (else <see cref="DefaultBaseUrl"/>),
    /// read through <paramref name="getVariable"/> (a command passes its settings: the environment, then the .env files).
    /// </summary>
    public static ModelSettings FromVariables(Func<string, string?> getVariable)
    {
        var directory = getVariable(ModelsDirectoryVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(Files.HomePath.Expand(dir.Trim()))
            : DefaultModelsDirectory;
        var baseUrl = DefaultBaseUrl;
        if (getVariable(BaseUrlVariable) is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                throw new ModelException($"{BaseUrlVariable} must be an absolute http(s) URL, not '{url}'.");
            baseUrl = parsed;
        }
        return new ModelSettings { ModelsDirectory = directory, BaseUrl = baseUrl };
    }
}
