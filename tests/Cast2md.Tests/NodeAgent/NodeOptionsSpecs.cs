using Cast2md.NodeAgent;
using Cast2md.Settings;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.NodeAgent;

public sealed class NodeOptionsSpecs
{
    private static NodeOptions Read(params (string Key, string Value)[] values) =>
        NodeOptions.Read(LocalSettings.From(values.ToDictionary(v => v.Key, v => v.Value)));

    [Fact]
    public void I_can_run_with_the_defaults_of_the_seed_table()
    {
        // Act
        var options = Read();

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatInterval);
        Assert.True(options.LongPoll);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PollInterval);
        Assert.False(options.Persistent);
        Assert.Equal(2, options.RequiredEmptyChecks);
        Assert.Equal(TimeSpan.FromSeconds(60), options.EmptyQueueWait);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ServerUnreachableTimeout);
        Assert.Equal(3, options.MaxConsecutiveFailures);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ClaimWait);
        Assert.Equal(new NodeWhisperOptions("auto", "large-v3-turbo", "auto", "int8", 30, null), options.Whisper);
    }

    [Fact]
    public void I_can_set_every_rule_with_decimals_and_switch_to_plain_polling()
    {
        // Act
        var options = Read(
            ("NODE_IDLE_TIMEOUT_MINUTES", "0.05"),
            ("NODE_SERVER_UNREACHABLE_MINUTES", "0.5"),
            ("NODE_EMPTY_QUEUE_WAIT", "1.5"),
            ("NODE_HEARTBEAT_INTERVAL_SECONDS", "0.2"),
            ("NODE_LONG_POLL", "0"),
            ("NODE_POLL_INTERVAL_SECONDS", "0.25"),
            ("NODE_MAX_CONSECUTIVE_FAILURES", "0"),
            ("NODE_PERSISTENT", "1")
        );

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(3), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ServerUnreachableTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.EmptyQueueWait);
        Assert.Equal(TimeSpan.FromSeconds(0.2), options.HeartbeatInterval);
        Assert.False(options.LongPoll);
        Assert.Equal(TimeSpan.Zero, options.ClaimWait);
        Assert.Equal(TimeSpan.FromSeconds(0.25), options.PollInterval);
        Assert.Equal(0, options.MaxConsecutiveFailures);
        Assert.True(options.Persistent);
    }

    [Theory]
    [InlineData("NODE_IDLE_TIMEOUT_MINUTES", "ten")]
    [InlineData("NODE_IDLE_TIMEOUT_MINUTES", "-1")]
    [InlineData("NODE_HEARTBEAT_INTERVAL_SECONDS", "0")]
    [InlineData("NODE_PERSISTENT", "maybe")]
    [InlineData("WHISPER_BACKEND", "parakeet")]
    [InlineData("WHISPER_DEVICE", "tpu")]
    public void I_can_try_a_bad_setting_and_get_an_error_naming_the_variable(string name, string value)
    {
        // Act
        var error = Assert.Throws<NodeSettingException>(() => Read((name, value)));

        // Assert
        Assert.Equal(name, error.Variable);
        Assert.Contains(name, error.Message);
    }

    [Theory]
    [InlineData("faster-whisper", "cuda", "cuda", "CUDA build")]
    [InlineData("faster-whisper", "cpu", "cpu", "CPU")]
    [InlineData("faster-whisper", null, "cpu", "CPU")]
    [InlineData("mlx", null, "metal", "Metal")]
    public void I_can_keep_the_original_backends_and_get_one_notice_how_they_map_onto_whisper_cpp(
        string backend,
        string? device,
        string expectedDevice,
        string expectedNotice
    )
    {
        // Arrange
        var values = new List<(string, string)> { ("WHISPER_BACKEND", backend), ("WHISPER_COMPUTE_TYPE", "float16") };
        if (device is not null)
            values.Add(("WHISPER_DEVICE", device));

        // Act
        var whisper = Read([.. values]).Whisper;

        // Assert
        Assert.Equal(expectedDevice, whisper.Device);
        Assert.Equal("float16", whisper.ComputeType);
        Assert.NotNull(whisper.Notice);
        Assert.Contains(expectedNotice, whisper.Notice);
        Assert.Contains("whisper.cpp", whisper.Notice);
    }

    [Fact]
    public void I_can_say_mps_and_get_metal_without_a_notice_on_whisper_cpp()
    {
        // Act
        var whisper = Read(("WHISPER_BACKEND", "whisper.cpp"), ("WHISPER_DEVICE", "mps"), ("WHISPER_MODEL", "base")).Whisper;

        // Assert
        Assert.Equal("metal", whisper.Device);
        Assert.Equal("base", whisper.Model);
        Assert.Null(whisper.Notice);
    }

    [Fact]
    public void I_can_configure_a_node_in_env_files_with_the_servers_precedence_environment_then_home_then_working_directory()
    {
        // Arrange
        using var dir = TempDir.Create();
        var work = Directory.CreateDirectory(dir.Combine("work")).FullName;
        var home = Directory.CreateDirectory(dir.Combine("home")).FullName;
        var unique = "CAST2MD_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        File.WriteAllText(Path.Combine(work, ".env"), $"{unique}_A=local\n{unique}_B=local\n{unique}_C=local\n");
        Directory.CreateDirectory(Path.Combine(home, ".cast2md"));
        File.WriteAllText(Path.Combine(home, ".cast2md", ".env"), $"{unique}_A=home\n{unique}_B=home\n");
        Environment.SetEnvironmentVariable($"{unique}_A", "process");
        try
        {
            // Act
            var env = LocalSettings.Load(work, home);

            // Assert
            Assert.Equal("process", env.Get($"{unique}_A"));
            Assert.Equal("home", env.Get($"{unique}_B"));
            Assert.Equal("local", env.Get($"{unique}_C"));
            Assert.Null(env.Get($"{unique}_D"));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{unique}_A", null);
        }
    }
}
