using System.Globalization;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Cast2md.Tests.Whisper;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Transcription;

/// <summary>One piece of a generated recording: spoken text, or seconds of something that is not speech.</summary>
internal abstract record AudioPart
{
    public sealed record Speech(string Text) : AudioPart;

    public sealed record Silence(double Seconds) : AudioPart;

    /// <summary>ffmpeg's anoisesrc colour (white, pink, brown, ...) at an amplitude of full scale; always the same noise (fixed seed).</summary>
    public sealed record Noise(double Seconds, string Color = "pink", double Amplitude = 0.1) : AudioPart;

    /// <summary>A music-like bed: a chord progression of sine tones, one chord a second, with a beat.</summary>
    public sealed record Chords(double Seconds) : AudioPart;

    /// <summary>A steady tone (Hz).</summary>
    public sealed record Tone(double Seconds, double Frequency = 440) : AudioPart;
}

/// <summary>A generated 16 kHz mono WAV file, and where in it each sentence starts and ends (seconds).</summary>
internal sealed record ComposedAudio(string Path, IReadOnlyList<(string Text, double Start, double End)> Sentences, double Seconds)
{
    /// <summary>Every sentence, in order: the words the file says.</summary>
    public string Text => string.Join(' ', Sentences.Select(s => s.Text));
}

/// <summary>
/// Generates test recordings: speech with espeak-ng (trimmed to its first and last sound with sox, so a sentence starts
/// exactly where it is placed), tones, chords and noise with ffmpeg's lavfi sources, joined with sox.
/// </summary>
internal static class SpeechAudio
{
    // sox dithers with random noise when it resamples, unless -D: the same text must give the same samples every run.
    private const string Format = "-r 16000 -c 1 -b 16 -e signed-integer";

    public static async Task<ComposedAudio> ComposeAsync(TempDir dir, string fileName, params AudioPart[] parts)
    {
        var files = new List<string>();
        var sentences = new List<(string, double, double)>();
        var at = 0.0;
        foreach (var (part, index) in parts.Select((p, i) => (p, i)))
        {
            var file = await GenerateAsync(dir, $"{Path.GetFileNameWithoutExtension(fileName)}-part{index}.wav", part);
            var seconds = WavFile.Read16kMono(file).Length / 16_000.0;
            if (part is AudioPart.Speech speech)
                sentences.Add((speech.Text, at, at + seconds));
            files.Add(file);
            at += seconds;
        }
        var output = dir.Combine(fileName);
        await RunAsync("sox", ["-D", .. files, .. Format.Split(' '), output]);
        return new ComposedAudio(output, sentences, at);
    }

    private static async Task<string> GenerateAsync(TempDir dir, string fileName, AudioPart part)
    {
        var output = dir.Combine(fileName);
        switch (part)
        {
            case AudioPart.Speech speech:
                var raw = dir.Combine("raw-" + fileName);
                await RunAsync("espeak-ng", ["-v", "en-us", "-s", "150", "-w", raw, speech.Text]);
                // Cut espeak's own lead-in and tail of silence (under 0.1 % of full scale).
                await RunAsync(
                    "sox",
                    ["-D", raw, .. Format.Split(' '), output, "silence", "1", "0.01", "0.1%", "reverse", "silence", "1", "0.01", "0.1%", "reverse"]
                );
                return output;
            case AudioPart.Silence silence:
                return await TestAudio.GenerateAsync(
                    dir,
                    fileName,
                    "-f",
                    "lavfi",
                    "-i",
                    "anullsrc=r=16000:cl=mono",
                    "-t",
                    Invariant(silence.Seconds),
                    "-c:a",
                    "pcm_s16le"
                );
            case AudioPart.Noise noise:
                return await TestAudio.GenerateAsync(
                    dir,
                    fileName,
                    "-f",
                    "lavfi",
                    "-i",
                    $"anoisesrc=r=16000:c={noise.Color}:a={Invariant(noise.Amplitude)}:d={Invariant(noise.Seconds)}:seed=13",
                    "-c:a",
                    "pcm_s16le"
                );
            case AudioPart.Chords chords:
                return await TestAudio.GenerateAsync(
                    dir,
                    fileName,
                    "-f",
                    "lavfi",
                    "-i",
                    $"aevalsrc={ChordProgression}:s=16000:d={Invariant(chords.Seconds)}",
                    "-c:a",
                    "pcm_s16le"
                );
            case AudioPart.Tone tone:
                return await TestAudio.GenerateAsync(
                    dir,
                    fileName,
                    "-f",
                    "lavfi",
                    "-i",
                    $"sine=f={Invariant(tone.Frequency)}:r=16000:d={Invariant(tone.Seconds)}",
                    "-c:a",
                    "pcm_s16le"
                );
            default:
                throw new ArgumentOutOfRangeException(nameof(part), part, "unknown audio part");
        }
    }

    // C major, A minor, F major, G major: one chord a second, each note with its octave, and a beat four times a second.
    private const string ChordProgression =
        "(0.3+0.2*abs(sin(4*PI*t)))*0.25*("
        + "if(lt(mod(t\\,4)\\,1)\\,sin(2*PI*261.6*t)+sin(2*PI*329.6*t)+sin(2*PI*392.0*t)+0.5*sin(2*PI*523.3*t)\\,"
        + "if(lt(mod(t\\,4)\\,2)\\,sin(2*PI*220.0*t)+sin(2*PI*261.6*t)+sin(2*PI*329.6*t)+0.5*sin(2*PI*440.0*t)\\,"
        + "if(lt(mod(t\\,4)\\,3)\\,sin(2*PI*174.6*t)+sin(2*PI*220.0*t)+sin(2*PI*261.6*t)+0.5*sin(2*PI*349.2*t)\\,"
        + "sin(2*PI*196.0*t)+sin(2*PI*246.9*t)+sin(2*PI*293.7*t)+0.5*sin(2*PI*392.0*t)))))";

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments)
    {
        var result = await Cli.Wrap(tool).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"{tool} failed ({result.ExitCode}): {result.StandardError}");
    }
}
