using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Models;

namespace Cast2md.Cli.Commands;

/// <summary>--model / $WHISPER_MODEL and --compute-type / $WHISPER_COMPUTE_TYPE to a local file, downloading it when missing.</summary>
internal static class ModelResolution
{
    public static async Task<string> ResolveAsync(string? model, string? computeType, ProgressMode progress, CancellationToken cancellationToken)
    {
        var name = model ?? EnvironmentSettings.String("WHISPER_MODEL") ?? ModelCatalog.DefaultModel;
        var variant = computeType ?? EnvironmentSettings.String("WHISPER_COMPUTE_TYPE") ?? ModelCatalog.DefaultComputeType;
        var store = new ModelStore(ModelSettings.FromEnvironment());
        var reporter = new ProgressReporter(progress, "downloading model");
        try
        {
            return await store.ResolveAsync(name, variant, reporter, Log.Info, cancellationToken);
        }
        finally
        {
            reporter.Complete();
        }
    }
}
