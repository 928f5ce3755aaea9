using System.Globalization;

namespace Cast2md.Transcription;

/// <summary>
/// How many whisper states decode one transcription at the same time (<c>WHISPER_PARALLEL</c>, <c>--parallel</c>):
/// <c>auto</c> or a fixed number. whisper's decoder uses extra threads poorly, so on a CPU several states with fewer
/// threads each finish sooner than one state with all of them; each state costs its own memory (the model is shared).
/// </summary>
public readonly record struct DecodingParallelism
{
    /// <summary>The most states one transcription uses, whatever it is given.</summary>
    public const int MaxStates = 16;

    /// <summary>What one more state costs besides its share of the model: whisper's caches and compute buffers.</summary>
    private const long StateBaseBytes = 160L << 20;

    private DecodingParallelism(int? states) => States = states;

    /// <summary>Chosen per run from threads, memory and device (see <see cref="Resolve"/>).</summary>
    public static DecodingParallelism Auto { get; } = new(null);

    /// <summary>A fixed number of states (1 decodes the classic way, one state with every thread).</summary>
    public static DecodingParallelism Fixed(int states)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(states, MaxStates);
        return new DecodingParallelism(states);
    }

    /// <summary>The fixed number; null for <see cref="Auto"/>.</summary>
    public int? States { get; }

    /// <summary>"auto" or a number from 1 to <see cref="MaxStates"/>.</summary>
    public static bool TryParse(string? text, out DecodingParallelism value)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            value = Auto;
            return true;
        }
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var states) && states is >= 1 and <= MaxStates)
        {
            value = Fixed(states);
            return true;
        }
        value = Auto;
        return false;
    }

    public override string ToString() => States?.ToString(CultureInfo.InvariantCulture) ?? "auto";

    /// <summary>
    /// The number of states for one run. A fixed number is taken as given. <c>auto</c>: one state on a GPU (the
    /// device already runs one state's work in parallel); on a CPU one state per thread of the run's thread budget
    /// (measured on two cores: two states of one thread finish a 10-minute file about 1.3 times sooner than one of two),
    /// at most <see cref="MaxStates"/>, and no more than half the available memory holds at an estimated
    /// 160 MiB + half the model file per state.
    /// </summary>
    public int Resolve(int threads, long modelBytes, bool gpu, long availableBytes)
    {
        if (States is { } states)
            return states;
        if (gpu)
            return 1;
        var perState = StateBaseBytes + Math.Max(0, modelBytes) / 2;
        var byMemory = availableBytes <= 0 ? 1 : (int)Math.Clamp(availableBytes / 2 / perState, 1, MaxStates);
        return Math.Clamp(Math.Min(threads, byMemory), 1, MaxStates);
    }

    /// <summary>Memory the system can give without swapping: MemAvailable on Linux, else what the runtime sees.</summary>
    public static long AvailableMemoryBytes()
    {
        try
        {
            if (OperatingSystem.IsLinux())
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (
                        line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                        && long.TryParse(
                            line["MemAvailable:".Length..].Trim().Split(' ')[0],
                            NumberStyles.None,
                            CultureInfo.InvariantCulture,
                            out var kib
                        )
                    )
                        return kib * 1024;
        }
        catch (IOException)
        {
            // No /proc (a sandbox): fall back to what the runtime knows.
        }
        catch (UnauthorizedAccessException) { }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
