using System.Text.Json;
using Cast2md.NodeAgent;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.NodeAgent;

public sealed class NodeConfigSpecs
{
    [Fact]
    public void I_can_save_node_json_and_read_it_back_and_only_I_can_read_it()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("sub", "node.json");
        var config = new NodeConfig("http://192.168.1.100:8000", "a1b2c3d4", "secret-key-0123456789", "M4 MacBook Pro", "http://192.168.1.5:8001");

        // Act
        config.Save(path);
        var read = NodeConfig.Load(path);

        // Assert
        Assert.Equal(config, read);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("http://192.168.1.100:8000", json.RootElement.GetProperty("server_url").GetString());
        Assert.Equal("a1b2c3d4", json.RootElement.GetProperty("node_id").GetString());
        Assert.Equal("secret-key-0123456789", json.RootElement.GetProperty("api_key").GetString());
        Assert.Equal("M4 MacBook Pro", json.RootElement.GetProperty("name").GetString());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left
    }

    [Fact]
    public void I_can_read_a_node_json_written_by_hand_as_the_seed_shows()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("node.json");
        File.WriteAllText(path, """{"server_url": "http://s:8000", "node_id": "n1", "api_key": "k", "name": "Box"}""");

        // Act
        var config = NodeConfig.Load(path);

        // Assert
        Assert.Equal(new NodeConfig("http://s:8000", "n1", "k", "Box"), config);
        Assert.Null(NodeConfig.Load(dir.Combine("missing.json")));
    }

    [Fact]
    public void I_can_try_to_read_a_damaged_node_json_and_get_told_to_register_again()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("node.json");
        File.WriteAllText(path, "{not json");

        // Act
        var error = Assert.Throws<Cast2md.Errors.Cast2mdException>(() => NodeConfig.Load(path));

        // Assert
        Assert.Contains("cast2md node register", error.Message);
    }

    [Fact]
    public void I_can_show_the_key_only_masked()
    {
        Assert.Equal("abcd********", new NodeConfig("http://s", "n", "abcdefghijklmnop", "x").MaskedApiKey);
    }
}
