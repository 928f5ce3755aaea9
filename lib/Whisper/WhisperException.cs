using Cast2md.Errors;

namespace Cast2md.Whisper;

/// <summary>whisper.cpp failed; <see cref="Code"/> is the native return code when there is one.</summary>
public class WhisperException(string message, int? code = null, Exception? inner = null) : Cast2mdException(message, inner)
{
    /// <summary>The non-zero value a whisper.cpp function returned, if that is what failed.</summary>
    public int? Code { get; } = code;
}

/// <summary>No whisper runtime could be found or loaded; the message says where we looked and what to run.</summary>
public sealed class WhisperLibraryNotFoundException(string message, Exception? inner = null) : WhisperException(message, null, inner);

/// <summary>A model file is missing or is not a whisper ggml model.</summary>
public sealed class WhisperModelLoadException(string modelPath, string message, Exception? inner = null) : WhisperException(message, null, inner)
{
    public string ModelPath { get; } = modelPath;
}
