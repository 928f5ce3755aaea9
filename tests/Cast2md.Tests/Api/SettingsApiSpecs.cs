using System.Net;
using System.Text.Json;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class SettingsApiSpecs
{
    [Fact(Timeout = 20000)]
    public async Task I_can_read_every_setting_with_its_value_source_type_and_limits()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/settings"));

        // Assert
        ApiAssert.Keys(json, "settings", "configurable");
        var settings = json.GetProperty("settings");
        var retries = settings.GetProperty("max_retry_attempts");
        ApiAssert.Keys(
            retries,
            "value",
            "db_value",
            "source",
            "env_override",
            "type",
            "label",
            "description",
            "min",
            "max",
            "configurable",
            "secret",
            "requires_restart"
        );
        Assert.Equal(
            ("5", "default", "int"),
            (retries.GetProperty("value").GetString(), retries.GetProperty("source").GetString(), retries.GetProperty("type").GetString())
        );
        Assert.Equal(JsonValueKind.Null, retries.GetProperty("db_value").ValueKind);
        Assert.Equal((1, 20), (retries.GetProperty("min").GetDouble(), retries.GetProperty("max").GetDouble()));
        var device = settings.GetProperty("whisper_device");
        Assert.Equal(["auto", "cpu", "cuda", "metal"], device.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        var configurable = json.GetProperty("configurable").EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.Contains("whisper_model", configurable);
        Assert.DoesNotContain("cast2md_admin_token", configurable);
        Assert.True(settings.GetProperty("cast2md_admin_token").GetProperty("secret").GetBoolean());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_update_settings_and_see_which_keys_were_rejected_and_why()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.SendJsonAsync(
            HttpMethod.Put,
            "/api/settings",
            """
            {"settings": {"whisper_model": "base", "MAX_RETRY_ATTEMPTS": 3, "auto_transcribe": true,
                          "max_concurrent_downloads": "99", "no_such_setting": "x", "cast2md_admin_token": "secret", "ntfy_topic": null}}
            """
        );

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        ApiAssert.Keys(json, "applied", "rejected", "overridden_by_environment", "requires_restart", "message");
        Assert.Equal(
            ["whisper_model", "max_retry_attempts", "auto_transcribe"],
            json.GetProperty("applied").EnumerateArray().Select(k => k.GetString())
        );
        var rejected = json.GetProperty("rejected")
            .EnumerateArray()
            .ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("reason").GetString()!);
        Assert.Equal(["cast2md_admin_token", "max_concurrent_downloads", "no_such_setting", "ntfy_topic"], rejected.Keys.Order());
        Assert.Contains("Unknown", rejected["no_such_setting"]);
        Assert.Contains("16", rejected["max_concurrent_downloads"]);
        Assert.Contains("credential", rejected["cast2md_admin_token"]);
        var settings = (await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/settings"))).GetProperty("settings");
        Assert.Equal(
            ("base", "database"),
            (
                settings.GetProperty("whisper_model").GetProperty("value").GetString(),
                settings.GetProperty("whisper_model").GetProperty("source").GetString()
            )
        );
        Assert.Equal("3", settings.GetProperty("max_retry_attempts").GetProperty("db_value").GetString());
        Assert.Equal("true", settings.GetProperty("auto_transcribe").GetProperty("value").GetString());
    }

    [Theory(Timeout = 20000)]
    [InlineData("""{"settings": {"max_retry_attempts": "many"}}""", "max_retry_attempts")]
    [InlineData("""{"settings": {}}""", "settings")]
    [InlineData("""{}""", "settings")]
    public async Task I_can_try_to_update_only_invalid_settings_and_get_a_400_that_says_why(string body, string mentioned)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.SendJsonAsync(HttpMethod.Put, "/api/settings", body);

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.BadRequest, response);
        Assert.Contains(mentioned, json.TryGetProperty("detail", out var detail) ? detail.GetString() : json.GetProperty("message").GetString());
        Assert.Equal("5", server.Core.Settings.Get("MAX_RETRY_ATTEMPTS").Value);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_reset_one_setting_and_then_all_settings_to_their_defaults()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        server.Core.Settings.Update(new Dictionary<string, string> { ["WHISPER_MODEL"] = "base", ["MAX_RETRY_ATTEMPTS"] = "3" });

        // Act
        var one = await server.SendJsonAsync(HttpMethod.Delete, "/api/settings/whisper_model");
        var unknown = await server.SendJsonAsync(HttpMethod.Delete, "/api/settings/no_such_setting");
        var modelAfterOne = server.Core.Settings.Get("WHISPER_MODEL");
        var retriesAfterOne = server.Core.Settings.Get("MAX_RETRY_ATTEMPTS");
        var all = await server.SendJsonAsync(HttpMethod.Delete, "/api/settings");

        // Assert
        Assert.Contains("reset", (await ApiAssert.StatusAsync(HttpStatusCode.OK, one)).GetProperty("message").GetString());
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, unknown, "no_such_setting");
        Assert.Equal("default", Cast2md.Api.SettingResponse.SourceName(modelAfterOne.Source));
        Assert.Equal("3", retriesAfterOne.Value);
        Assert.Contains("1 stored override", (await ApiAssert.StatusAsync(HttpStatusCode.OK, all)).GetProperty("message").GetString());
        Assert.Equal("5", server.Core.Settings.Get("MAX_RETRY_ATTEMPTS").Value);
    }
}
