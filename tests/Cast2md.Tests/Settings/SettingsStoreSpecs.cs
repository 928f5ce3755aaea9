using Cast2md.Errors;
using Cast2md.Settings;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Settings;

public sealed class SettingsStoreSpecs : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly TempDir _dir = TempDir.Create();
    private readonly Dictionary<string, string> _environment = new();

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    private string EnvFile(string name, string content)
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private SettingsStore Store(params string[] envFiles) => new(_db.Database, key => _environment.GetValueOrDefault(key), envFiles);

    private void StoreRow(string key, string value)
    {
        using var connection = _db.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO settings (key, value, updated_ms) VALUES ($key, $value, 0);";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void I_can_read_a_setting_nobody_set_and_get_its_default()
    {
        // Arrange
        var store = Store();

        // Act
        var model = store.Get("WHISPER_MODEL");

        // Assert
        Assert.Equal("large-v3-turbo", model.Value);
        Assert.Equal(SettingSource.Default, model.Source);
        Assert.Null(model.DatabaseValue);
        Assert.False(model.EnvironmentOverride);
        Assert.Equal(5, store.GetInt("MAX_RETRY_ATTEMPTS"));
        Assert.False(store.GetBool("AUTO_TRANSCRIBE"));
        Assert.Equal(TimeSpan.FromMinutes(60), store.GetMinutes("FEED_POLL_INTERVAL_MINUTES"));
        Assert.Equal(TimeSpan.FromSeconds(30), store.GetSeconds("REQUEST_TIMEOUT"));
        Assert.Equal(30.0, store.GetDouble("WHISPER_CHUNK_SIZE_MINUTES"));
        Assert.StartsWith("cast2md/", store.GetString("USER_AGENT"));
    }

    [Fact]
    public void I_can_read_every_defined_setting_with_a_valid_default()
    {
        // Arrange
        var store = Store();

        // Act
        var all = store.GetAll();

        // Assert
        Assert.Equal(SettingDefinitions.All.Count, all.Count);
        Assert.All(all, v => Assert.Null(v.Problem));
        Assert.All(SettingDefinitions.All, d => Assert.Equal(d.Key.ToUpperInvariant(), d.Key));
        Assert.All(SettingDefinitions.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Label) || string.IsNullOrWhiteSpace(d.Description)));
        Assert.Empty(store.Warnings);
    }

    [Fact]
    public void I_can_find_a_definition_ignoring_case()
    {
        // Act
        var definition = SettingDefinitions.Find("whisper_model");

        // Assert
        Assert.Equal("WHISPER_MODEL", definition?.Key);
        Assert.Null(SettingDefinitions.Find("NOT_A_SETTING"));
    }

    [Fact]
    public void I_can_set_a_value_in_a_dotenv_file()
    {
        // Arrange
        var store = Store(EnvFile(".env", "WHISPER_MODEL=small\nmax_concurrent_downloads=3\n"));

        // Act
        var model = store.Get("WHISPER_MODEL");

        // Assert
        Assert.Equal("small", model.Value);
        Assert.Equal(SettingSource.EnvFile, model.Source);
        Assert.Equal(3, store.GetInt("MAX_CONCURRENT_DOWNLOADS"));
    }

    [Fact]
    public void I_can_set_a_value_in_both_dotenv_files_and_the_one_in_home_wins()
    {
        // Arrange: the original lists ./.env then ~/.cast2md/.env, and pydantic-settings lets the later file win.
        var files = LocalSettings.DefaultEnvFiles(_dir.Combine("work"), _dir.Combine("home"));
        EnvFile(Path.Combine("work", ".env"), "WHISPER_MODEL=from-working-directory\nNTFY_TOPIC=only-in-working-directory\n");
        EnvFile(Path.Combine("home", ".cast2md", ".env"), "WHISPER_MODEL=from-home\n");
        var store = Store([.. files]);

        // Act
        var model = store.GetString("WHISPER_MODEL");
        var topic = store.GetString("NTFY_TOPIC");

        // Assert
        Assert.Equal([_dir.Combine("work", ".env"), _dir.Combine("home", ".cast2md", ".env")], files);
        Assert.Equal("from-home", model);
        Assert.Equal("only-in-working-directory", topic);
    }

    [Fact]
    public void I_can_override_a_dotenv_value_in_the_database()
    {
        // Arrange
        var store = Store(EnvFile(".env", "WHISPER_MODEL=small\n"));

        // Act
        var result = store.Update(new Dictionary<string, string> { ["whisper_model"] = "medium" });

        // Assert
        Assert.Equal(["WHISPER_MODEL"], result.Applied);
        Assert.Empty(result.Rejected);
        var model = store.Get("WHISPER_MODEL");
        Assert.Equal("medium", model.Value);
        Assert.Equal(SettingSource.Database, model.Source);
        Assert.Equal("medium", model.DatabaseValue);
    }

    [Fact]
    public void I_can_set_an_environment_variable_and_it_beats_the_database_and_is_flagged()
    {
        // Arrange
        _environment["WHISPER_MODEL"] = "tiny";
        var store = Store(EnvFile(".env", "WHISPER_MODEL=small\n"));

        // Act
        var result = store.Update(new Dictionary<string, string> { ["WHISPER_MODEL"] = "medium" });
        var model = store.Get("WHISPER_MODEL");

        // Assert
        Assert.Equal(["WHISPER_MODEL"], result.OverriddenByEnvironment);
        Assert.Equal("tiny", model.Value);
        Assert.Equal(SettingSource.Environment, model.Source);
        Assert.True(model.EnvironmentOverride);
        Assert.Equal("medium", model.DatabaseValue);
    }

    [Fact]
    public void I_can_leave_an_environment_variable_empty_and_it_counts_as_unset()
    {
        // Arrange
        _environment["WHISPER_MODEL"] = "  ";
        var store = Store();

        // Act
        var model = store.Get("WHISPER_MODEL");

        // Assert
        Assert.Equal(SettingSource.Default, model.Source);
        Assert.False(model.EnvironmentOverride);
    }

    [Theory]
    [InlineData("AUTO_TRANSCRIBE", "maybe", "yes/no")]
    [InlineData("MAX_CONCURRENT_DOWNLOADS", "0", "minimum")]
    [InlineData("MAX_CONCURRENT_DOWNLOADS", "1000", "maximum")]
    [InlineData("MAX_CONCURRENT_DOWNLOADS", "2.5", "whole number")]
    [InlineData("WHISPER_CHUNK_SIZE_MINUTES", "abc", "not a number")]
    [InlineData("WHISPER_CHUNK_SIZE_MINUTES", "NaN", "not a number")]
    [InlineData("WHISPER_DEVICE", "tpu", "not one of")]
    [InlineData("NTFY_URL", "ftp://example.com", "http")]
    [InlineData("USER_AGENT", "bad\r\nX-Injected: 1", "single line")]
    [InlineData("WHISPER_MODEL", "", "empty")]
    [InlineData("NOT_A_SETTING", "1", "Unknown")]
    [InlineData("CAST2MD_ADMIN_TOKEN", "secret", "credential")]
    [InlineData("CAST2MD_BUILD_VERSION", "1.0", "cannot be changed")]
    public void I_can_try_to_store_an_invalid_value_and_get_it_rejected_with_a_reason(string key, string value, string reason)
    {
        // Arrange
        var store = Store();

        // Act
        var result = store.Update(new Dictionary<string, string> { [key] = value, ["WHISPER_MODEL"] = key == "WHISPER_MODEL" ? value : "base" });

        // Assert
        Assert.Contains(reason, result.Rejected[key], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key.ToUpperInvariant(), result.Applied);
        Assert.Null(SettingDefinitions.Find(key) is { } ? store.Get(key).DatabaseValue : null);
        if (key != "WHISPER_MODEL")
            Assert.Equal("base", store.GetString("WHISPER_MODEL"));
    }

    [Theory]
    [InlineData("AUTO_TRANSCRIBE", "YES", "true")]
    [InlineData("AUTO_TRANSCRIBE", "0", "false")]
    [InlineData("WHISPER_DEVICE", "CUDA", "cuda")]
    [InlineData("MAX_CONCURRENT_DOWNLOADS", " 4 ", "4")]
    [InlineData("WHISPER_CHUNK_SIZE_MINUTES", "12.5", "12.5")]
    [InlineData("NTFY_TOPIC", "", "")]
    public void I_can_store_a_valid_value_and_get_it_in_canonical_form(string key, string value, string expected)
    {
        // Arrange
        var store = Store();

        // Act
        var result = store.Update(new Dictionary<string, string> { [key] = value });

        // Assert
        Assert.Equal([key], result.Applied);
        Assert.Equal(expected, store.Get(key).Value);
        Assert.Equal(SettingSource.Database, store.Get(key).Source);
    }

    [Fact]
    public void I_can_store_a_setting_that_needs_a_restart_and_am_told_so()
    {
        // Arrange
        var store = Store();

        // Act
        var result = store.Update(new Dictionary<string, string> { ["MAX_CONCURRENT_DOWNLOADS"] = "3", ["WHISPER_MODEL"] = "base" });

        // Assert
        Assert.Equal(["MAX_CONCURRENT_DOWNLOADS"], result.RequireRestart);
    }

    [Fact]
    public void I_can_reset_an_override_and_get_the_dotenv_value_back()
    {
        // Arrange
        var store = Store(EnvFile(".env", "WHISPER_MODEL=small\n"));
        store.Update(new Dictionary<string, string> { ["WHISPER_MODEL"] = "medium", ["AUTO_TRANSCRIBE"] = "true" });

        // Act
        var reset = store.Reset("whisper_model");
        var resetAgain = store.Reset("WHISPER_MODEL");

        // Assert
        Assert.True(reset);
        Assert.False(resetAgain);
        Assert.Equal("small", store.GetString("WHISPER_MODEL"));
        Assert.True(store.GetBool("AUTO_TRANSCRIBE"));
    }

    [Fact]
    public void I_can_reset_all_overrides_and_leave_other_rows_of_the_table_alone()
    {
        // Arrange
        var store = Store();
        store.Update(new Dictionary<string, string> { ["WHISPER_MODEL"] = "medium", ["AUTO_TRANSCRIBE"] = "true" });
        StoreRow("INTERNAL_MARKER", "keep");

        // Act
        var removed = store.ResetAll();

        // Assert
        Assert.Equal(2, removed);
        Assert.All(store.GetAll(), v => Assert.Equal(SettingSource.Default, v.Source));
        using var connection = _db.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM settings;";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public void I_can_never_get_a_secret_from_the_database_and_it_is_masked_for_display()
    {
        // Arrange: a row written behind the store's back (an older version, a manual edit).
        StoreRow("CAST2MD_ADMIN_TOKEN", "from-database");
        StoreRow("CAST2MD_BUILD_VERSION", "from-database");
        var withoutToken = Store();
        var withToken = Store(EnvFile(".env", "CAST2MD_ADMIN_TOKEN=s3cret\n"));

        // Act
        var missing = withoutToken.Get("CAST2MD_ADMIN_TOKEN");
        var fromFile = withToken.Get("CAST2MD_ADMIN_TOKEN");
        var version = withoutToken.Get("CAST2MD_BUILD_VERSION");

        // Assert
        Assert.Equal("", missing.Value);
        Assert.Equal(SettingSource.Default, missing.Source);
        Assert.Null(missing.DatabaseValue);
        Assert.Equal("s3cret", fromFile.Value);
        Assert.Equal(SettingValue.Mask, fromFile.DisplayValue);
        Assert.Null(withToken.GetAll().Single(v => v.Key == "CAST2MD_ADMIN_TOKEN").DatabaseValue);
        Assert.Equal("dev", version.Value);
    }

    [Fact]
    public void I_can_set_an_invalid_value_in_the_environment_and_get_a_clear_error_when_it_is_read()
    {
        // Arrange
        _environment["MAX_CONCURRENT_DOWNLOADS"] = "lots";
        var store = Store();

        // Act
        var value = store.Get("MAX_CONCURRENT_DOWNLOADS");
        var error = Assert.Throws<Cast2mdException>(() => store.GetInt("MAX_CONCURRENT_DOWNLOADS"));

        // Assert
        Assert.Equal("lots", value.Value);
        Assert.Contains("environment", value.Problem);
        Assert.Contains("MAX_CONCURRENT_DOWNLOADS", error.Message);
        Assert.Contains(store.Warnings, w => w.StartsWith("MAX_CONCURRENT_DOWNLOADS", StringComparison.Ordinal));
    }

    [Fact]
    public void I_can_have_a_stored_override_that_no_longer_validates_and_it_is_ignored_with_a_warning()
    {
        // Arrange
        StoreRow("MAX_CONCURRENT_DOWNLOADS", "999");
        var store = Store(EnvFile(".env", "MAX_CONCURRENT_DOWNLOADS=3\n"));

        // Act
        var value = store.Get("MAX_CONCURRENT_DOWNLOADS");

        // Assert
        Assert.Equal("3", value.Value);
        Assert.Equal(SettingSource.EnvFile, value.Source);
        Assert.Contains(store.Warnings, w => w.Contains("999", StringComparison.Ordinal));
    }

    [Fact]
    public void I_can_get_dotenv_parse_warnings_for_the_log()
    {
        // Arrange
        var store = Store(EnvFile(".env", "WHISPER_MODEL=small\nnot a line\n"));

        // Act
        var warnings = store.Warnings;

        // Assert
        Assert.Single(warnings);
        Assert.Contains(":2:", warnings[0]);
    }

    [Fact]
    public void I_can_read_an_undefined_variable_from_the_environment_or_a_dotenv_file_but_never_the_database()
    {
        // Arrange
        StoreRow("CAST2MD_MODELS_DIR", "/from/database");
        var store = Store(EnvFile(".env", "CAST2MD_MODELS_DIR=/from/dotenv\n"));

        // Act
        var fromFile = store.GetVariable("CAST2MD_MODELS_DIR");
        _environment["CAST2MD_MODELS_DIR"] = "/from/environment";
        var fromEnvironment = store.GetVariable("CAST2MD_MODELS_DIR");

        // Assert
        Assert.Equal("/from/dotenv", fromFile);
        Assert.Equal("/from/environment", fromEnvironment);
    }

    [Fact]
    public void I_can_not_read_an_unknown_setting()
    {
        // Arrange
        var store = Store();

        // Act & Assert
        var error = Assert.Throws<Cast2mdException>(() => store.Get("NOT_A_SETTING"));
        Assert.Contains("NOT_A_SETTING", error.Message);
        Assert.Throws<Cast2mdException>(() => store.GetInt("WHISPER_MODEL"));
    }
}
