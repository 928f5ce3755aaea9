using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>Loading models with the real whisper runtime (the stand-in model loads in milliseconds).</summary>
[Collection(WhisperNativeCollection.Name)]
public sealed class WhisperModelSpecs
{
    [Fact]
    public void I_can_load_the_prebuilt_runtime_and_get_the_whisper_cpp_version_the_lock_was_checked_against()
    {
        // Arrange: a bump of Whisper.net.Runtime that brings another whisper.cpp must be looked at (see whisper.lock)
        var pinned = File.ReadAllLines(Path.Combine(Paths.RepoRoot, "native", "whisper.lock"))
            .Single(l => l.StartsWith("WHISPER_NET_RUNTIME_WHISPER_CPP=", StringComparison.Ordinal))
            .Split('=')[1];

        // Act
        var runtime = WhisperRuntime.Loaded;

        // Assert
        Assert.Equal("cpu", runtime.Kind);
        Assert.Equal(pinned, runtime.Version);
        Assert.Equal(pinned, WhisperModel.LibraryVersion);
        Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), runtime.Directory);
    }

    [Fact]
    public void I_can_get_the_runtime_order_override_then_gpu_builds_then_this_cpus_build_then_the_prebuilt_one()
    {
        // Act
        var order = WhisperRuntime.Candidates("/opt/cast2md", "/srv/whisper", preferCpu: false);
        var cpuOnly = WhisperRuntime.Candidates("/opt/cast2md", null, preferCpu: true);

        // Assert
        var rid = Path.GetFileName(order[^1].Directory);
        Assert.Equal("/srv/whisper", order[0].Directory);
        Assert.Equal($"/opt/cast2md/runtimes/cuda/{rid}", order[1].Directory);
        Assert.Equal(["custom", "cuda", "cpu-native", "cpu"], order.Select(c => c.Kind).Where(k => k != "coreml"));
        Assert.DoesNotContain(cpuOnly, c => c.Kind == "cuda");
        Assert.Equal($"/opt/cast2md/runtimes/{rid}", cpuOnly[^1].Directory);
    }

    [Fact]
    public void I_can_read_the_cpus_avx2_and_fma_support_at_run_time_as_the_kernel_reports_it()
    {
        if (
            !OperatingSystem.IsLinux()
            || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64
        )
            return;

        // Arrange
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');

        // Act
        var supported = WhisperRuntime.CpuHasAvx2AndFma();

        // Assert
        Assert.Equal(flags.Contains("avx2") && flags.Contains("fma"), supported);
    }

    [Fact]
    public void I_can_get_the_system_info_of_the_loaded_library()
    {
        // Act
        var info = WhisperModel.SystemInfo;

        // Assert
        Assert.Contains("CPU", info);
    }

    [Fact]
    public void I_can_load_the_stand_in_model()
    {
        // Act
        using var model = WhisperModel.Load(Paths.StandInModel, new WhisperModelOptions { UseGpu = false });

        // Assert
        Assert.Equal(Path.GetFullPath(Paths.StandInModel), model.ModelPath);
        Assert.False(model.IsMultilingual);
    }

    [Fact]
    public void I_can_try_to_load_a_missing_model_and_get_an_error_naming_the_path()
    {
        // Arrange
        using var dir = TempDir.Create();
        var missing = dir.Combine("ggml-nope.bin");

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => WhisperModel.Load(missing));

        // Assert
        Assert.Equal(missing, ex.ModelPath);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void I_can_try_to_load_a_text_file_as_a_model_and_get_a_model_load_error_without_a_crash()
    {
        // Arrange
        using var dir = TempDir.Create();
        var text = dir.Combine("notes.bin");
        File.WriteAllText(text, "These are show notes, not a ggml model.\n");

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => WhisperModel.Load(text));

        // Assert
        Assert.Equal(text, ex.ModelPath);
        Assert.Contains("not a whisper.cpp ggml model", ex.Message);
    }

    [Fact]
    public void I_can_try_to_load_a_truncated_model_and_get_a_model_load_error_from_whisper_cpp_without_a_crash()
    {
        // Arrange: the first 4 MiB of the real model (the magic and header are right, most tensors are missing)
        using var dir = TempDir.Create();
        var truncated = dir.Combine("ggml-truncated.bin");
        using (var source = File.OpenRead(Paths.RealModel))
        using (var target = File.Create(truncated))
        {
            var head = new byte[4 * 1024 * 1024];
            source.ReadExactly(head);
            target.Write(head);
        }

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => WhisperModel.Load(truncated));

        // Assert
        Assert.Equal(truncated, ex.ModelPath);
        Assert.Contains("truncated or corrupt", ex.Message);
    }
}
