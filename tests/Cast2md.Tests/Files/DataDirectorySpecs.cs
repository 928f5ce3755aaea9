using Cast2md.DataFolder;
using Xunit;

namespace Cast2md.Tests.Files;

public sealed class DataDirectorySpecs
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Fact]
    public void I_can_choose_the_data_folder_by_option_then_variable_then_default()
    {
        // Act
        var byOption = DataDirectory.Resolve("/srv/a", _ => "/srv/b");
        var byVariable = DataDirectory.Resolve(null, name => name == DataDirectory.Variable ? "/srv/b" : null);
        var byDefault = DataDirectory.Resolve(null, _ => null);

        // Assert
        Assert.Equal("/srv/a", byOption);
        Assert.Equal("/srv/b", byVariable);
        Assert.Equal(Path.Combine(Home, ".cast2md", "data"), byDefault);
    }

    [Fact]
    public void I_can_give_the_data_folder_under_my_home_with_a_tilde()
    {
        // Act
        var resolved = DataDirectory.Resolve(null, name => name == DataDirectory.Variable ? "~/podcasts" : null);

        // Assert
        Assert.Equal(Path.Combine(Home, "podcasts"), resolved);
    }
}
