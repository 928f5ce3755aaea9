using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>
/// Specs that run whisper.cpp (or touch its process-wide log sink) run one at a time: the box has few cores, and
/// timing assertions (cancellation returns promptly) should not compete with another inference.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WhisperNativeCollection
{
    public const string Name = "whisper-native";
}
