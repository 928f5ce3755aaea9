// A stand-in for ffmpeg that misbehaves on demand (CliWrap's Dummy project is the model).
// The behaviour comes from DUMMY_* environment variables or, so that parallel tests need not share the
// process environment, from "key=value" lines in the input file it is given (after -i, else the last argument):
//   mode=ok       write `seconds` of a 440 Hz tone as f32le PCM to stdout, exit 0
//   mode=fail     write `message` to stderr, exit `exit` (default 1), no output
//   mode=partial  write `seconds` of PCM, then an ffmpeg-like error to stderr, exit `exit` (default 1)
//   mode=slow     write 100 ms of PCM every 100 ms until killed
//   pidfile=PATH  write the process id there first
//   claim-jobs DB WORKER  (first argument) claim and complete download jobs from the queue in DB until none is
//                 left, printing each claimed job id: the multi-process claim test runs several at once
using System.Buffers.Binary;
using System.Globalization;

if (args is ["claim-jobs", var databasePath, var workerId])
{
    var jobs = new Cast2md.Queue.JobStore(Cast2md.Storage.Database.Open(databasePath));
    while (jobs.TryClaim(Cast2md.Queue.JobType.Download, workerId, TimeSpan.FromMinutes(5)) is { } lease)
    {
        Console.WriteLine(lease.Job.Id.ToString(CultureInfo.InvariantCulture));
        if (jobs.Complete(lease.Job.Id, lease.Token) != Cast2md.Queue.TransitionResult.Done)
            return 3;
    }
    return 0;
}

var settings = ReadSettings(args);
string Setting(string key, string fallback) =>
    Environment.GetEnvironmentVariable("DUMMY_" + key.ToUpperInvariant()) is { Length: > 0 } value ? value
    : settings.TryGetValue(key, out var fromFile) ? fromFile
    : fallback;

var pidFile = Setting("pidfile", "");
if (pidFile.Length > 0)
    File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

var seconds = double.Parse(Setting("seconds", "2"), CultureInfo.InvariantCulture);
var exitCode = int.Parse(Setting("exit", "1"), CultureInfo.InvariantCulture);
using var stdout = Console.OpenStandardOutput();
long written = 0;

switch (Setting("mode", "fail"))
{
    case "ok":
        WritePcm((long)(seconds * 16000));
        return 0;

    case "partial":
        WritePcm((long)(seconds * 16000));
        Console.Error.WriteLine(Setting("message", "[mp3float @ 0x0] Header missing"));
        Console.Error.WriteLine("Error while decoding stream #0:0: Invalid data found when processing input");
        return exitCode;

    case "slow":
        while (true)
        {
            WritePcm(1600);
            Thread.Sleep(100);
        }

    default:
        Console.Error.WriteLine(Setting("message", "dummy: simulated failure"));
        return exitCode;
}

void WritePcm(long samples)
{
    var buffer = new byte[4096 * sizeof(float)];
    while (samples > 0)
    {
        var n = (int)Math.Min(samples, 4096);
        for (var i = 0; i < n; i++, written++)
            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), 0.5f * MathF.Sin(2 * MathF.PI * 440 * written / 16000f));
        stdout.Write(buffer, 0, n * sizeof(float));
        samples -= n;
    }

    stdout.Flush();
}

static Dictionary<string, string> ReadSettings(string[] args)
{
    var input =
        Array.IndexOf(args, "-i") is var i and >= 0 && i + 1 < args.Length ? args[i + 1]
        : args.Length > 0 ? args[^1]
        : null;
    var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    if (input is null || !File.Exists(input))
        return settings;
    foreach (var line in File.ReadLines(input))
        if (line.Split('=', 2) is [var key, var value])
            settings[key.Trim()] = value.Trim();
    return settings;
}
