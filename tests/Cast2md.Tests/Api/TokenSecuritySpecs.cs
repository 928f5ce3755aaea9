extern alias cli;
using Cast2md.DataFolder;

using Cast2md.Errors;
using Cast2md.Tests.Infra;
using cli::Cast2md.Cli.Server;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>A token that any header matches is worse than none: blank tokens stop the server from starting.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TokenSecuritySpecs
{
    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    [InlineData("\v\t ")]
    public void A_blank_admin_token_in_the_environment_refuses_to_load(string value)
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        var ex = Assert.Throws<Cast2mdException>(() => AdminToken.Load(dir.Path, name => name == AdminToken.Variable ? value : null));

        // Assert
        Assert.Contains("CAST2MD_ADMIN_TOKEN is set but empty", ex.Message);
    }

    [Fact]
    public void An_empty_admin_token_file_refuses_to_load_instead_of_matching_a_blank_header()
    {
        // Arrange
        using var dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir.Path, AdminToken.FileName), "  \n");

        // Act
        var ex = Assert.Throws<Cast2mdException>(() => AdminToken.Load(dir.Path, _ => null));

        // Assert
        Assert.Contains("is empty", ex.Message);
        Assert.Contains(AdminToken.FileName, ex.Message);
    }

    [Fact]
    public void A_generated_admin_token_is_written_whole_private_and_read_back_and_no_header_of_whitespace_matches_it()
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        var token = AdminToken.Load(dir.Path, _ => null);
        var again = AdminToken.Load(dir.Path, _ => null);

        // Assert
        Assert.True(token.WasGenerated);
        Assert.False(again.WasGenerated);
        Assert.Equal(token.Value, again.Value);
        Assert.Equal([AdminToken.FileName], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, AdminToken.FileName)));
        Assert.True(token.Matches("Bearer " + token.Value));
        Assert.False(token.Matches("Bearer \v"));
        Assert.False(token.Matches("Bearer "));
    }

    [Fact]
    public void An_admin_token_file_that_cannot_be_written_fails_loudly()
    {
        // Arrange: a data folder the server may read but not write (as on a full or read-only disk)
        using var dir = TempDir.Create();
        var data = Directory.CreateDirectory(Path.Combine(dir.Path, "data")).FullName;
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            // Act
            var ex = Record.Exception(() => AdminToken.Load(data, _ => null));

            // Assert (root ignores the mode: then the write simply works)
            if (Environment.UserName != "root")
                Assert.Contains("Cannot create the admin token file", Assert.IsType<Cast2mdException>(ex).Message);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    public void A_blank_registration_token_stops_the_server_from_starting(string value)
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        var ex = Assert.Throws<Cast2mdException>(() => ServerApp.Build(new ServerOptions("0.0.0.0", 0, dir.Path) { RegistrationToken = value }));

        // Assert
        Assert.Contains("registration token is empty", ex.Message);
    }
}
