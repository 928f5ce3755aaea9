using Cast2md.DataFolder;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>
/// What every command shares: --data-dir and -v/--verbose are taken by each command wherever they stand among its
/// options and listed in its help, and a command line that names no command of ours is an error, not the help text.
/// </summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class GlobalOptionSpecs
{
    [Theory(Timeout = 30_000)]
    [InlineData("status")]
    [InlineData("queue", "status")]
    [InlineData("feed", "list")]
    [InlineData("search", "reindex")]
    public async Task Every_command_that_reads_the_data_folder_takes_data_dir_and_verbose_after_its_own_options(params string[] command)
    {
        // Arrange
        using var dir = TempDir.Create();
        var data = dir.Combine("elsewhere");

        // Act
        var result = await Cast2mdBinary.RunAsync([.. command, "--data-dir", data, "-v"]);

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(File.Exists(DataDirectory.DatabasePath(data)), "the database is made in the folder --data-dir names");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("serve")]
    [InlineData("transcribe")]
    [InlineData("episode", "show")]
    [InlineData("node", "start")]
    public async Task Every_command_lists_the_global_options_in_its_help(params string[] command)
    {
        // Act
        var result = await Cast2mdBinary.RunAsync([.. command, "--help"]);

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--data-dir", result.StandardOutput);
        Assert.Contains("-v, --verbose", result.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_group_without_a_command_prints_the_help_and_succeeds()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("feed");

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("feed refresh", result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("feed", "refesh")]
    [InlineData("nodes", "start")]
    [InlineData("help")]
    public async Task A_command_line_naming_no_command_is_a_usage_error_with_nothing_on_stdout(params string[] command)
    {
        // Act
        var result = await Cast2mdBinary.RunAsync([.. command, "--all"]);

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains($"unknown command '{string.Join(' ', command)}'", result.StandardError);
    }
}
