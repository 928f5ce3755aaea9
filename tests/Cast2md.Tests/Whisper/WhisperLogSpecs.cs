using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Xunit;
using NativeLevel = Whisper.net.Logger.WhisperLogLevel;

namespace Cast2md.Tests.Whisper;

/// <summary>Native log lines reach our sink (the sink is process-wide, hence the serial collection).</summary>
[Collection(WhisperNativeCollection.Name)]
public sealed class WhisperLogSpecs
{
    [Fact]
    public void I_can_get_native_log_lines_in_my_sink_while_a_model_loads()
    {
        // Arrange
        var lines = new List<(WhisperLogLevel Level, string Text)>();
        WhisperLog.SetSink(
            (level, text) =>
            {
                lock (lines)
                    lines.Add((level, text));
            }
        );

        // Act
        try
        {
            using var model = WhisperModel.Load(Paths.StandInModel);
        }
        finally
        {
            WhisperLog.SetSink(null);
        }

        // Assert
        Assert.Contains(lines, l => l.Level == WhisperLogLevel.Info && l.Text.Contains("loading model from"));
        Assert.DoesNotContain(lines, l => l.Text.EndsWith('\n'));
    }

    [Fact]
    public void I_can_get_continued_fragments_joined_into_one_line()
    {
        // Arrange
        var lines = new List<(WhisperLogLevel Level, string Text)>();
        WhisperLog.SetSink(
            (level, text) =>
            {
                if (text.Contains("spec-marker"))
                    lock (lines)
                        lines.Add((level, text));
            }
        );

        // Act
        try
        {
            WhisperLog.Write(NativeLevel.Warning, "spec-marker: progress ");
            WhisperLog.Write(NativeLevel.Cont, ".");
            WhisperLog.Write(NativeLevel.Cont, ". done\n");
            WhisperLog.Write(NativeLevel.Error, "spec-marker: second\n");
        }
        finally
        {
            WhisperLog.SetSink(null);
        }

        // Assert
        Assert.Equal([(WhisperLogLevel.Warning, "spec-marker: progress .. done"), (WhisperLogLevel.Error, "spec-marker: second")], lines);
    }

    [Fact]
    public void I_can_have_a_sink_that_throws_without_breaking_a_model_load()
    {
        // Arrange
        WhisperLog.SetSink((_, _) => throw new InvalidOperationException("sink down"));

        // Act
        try
        {
            using var model = WhisperModel.Load(Paths.StandInModel);

            // Assert
            Assert.False(model.IsMultilingual);
        }
        finally
        {
            WhisperLog.SetSink(null);
        }
    }

    [Fact]
    public void I_can_cancel_a_transcription_without_whisper_cpp_errors_reaching_my_sink()
    {
        // Arrange
        using var model = WhisperModel.Load(Paths.StandInModel);
        using var session = model.CreateSession();
        using var cts = new CancellationTokenSource();
        var lines = new List<(WhisperLogLevel Level, string Text)>();
        WhisperLog.SetSink(
            (level, text) =>
            {
                lock (lines)
                    lines.Add((level, text));
            }
        );

        // Act
        try
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                session.Transcribe(
                    WavFile.Noise(TimeSpan.FromSeconds(60)),
                    new WhisperRunOptions { BeamSize = 1 },
                    new SyncProgress(_ => cts.Cancel()),
                    cts.Token
                )
            );
        }
        finally
        {
            WhisperLog.SetSink(null);
        }

        // Assert
        // whisper.cpp logs the abort as an error ("encoder_begin_callback returned false - aborting"); we expected it.
        Assert.Contains(lines, l => l.Level == WhisperLogLevel.Debug && l.Text.Contains("aborting"));
        Assert.DoesNotContain(lines, l => l.Level >= WhisperLogLevel.Warning);
    }
}
