using System.Net;
using Cast2md.Notifications;
using Cast2md.Settings;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Notifications;

/// <summary>The notification settings, the header values ntfy gets, and the settings screen's test button.</summary>
public sealed class NotificationSettingsSpecs
{
    [Theory]
    [InlineData("https://hooks.example.com/cast2md", true)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("", true)]
    [InlineData("ftp://hooks.example.com/x", false)]
    [InlineData("/relative/hook", false)]
    [InlineData("not a url", false)]
    public void The_webhook_accepts_only_an_absolute_http_or_https_address_or_nothing(string value, bool accepted)
    {
        // Arrange
        var definition = SettingDefinitions.Find("WEBHOOK_URL")!;

        // Act
        var ok = SettingValidator.TryNormalize(definition, value, out _, out var problem);

        // Assert
        Assert.Equal(accepted, ok);
        if (!accepted)
            Assert.Contains("http", problem);
    }

    [Theory]
    [InlineData("Plain title", "Plain title")]
    [InlineData("Two\r\nLines", "Two  Lines")]
    [InlineData("Café", "=?UTF-8?B?Q2Fmw6k=?=")]
    public void A_header_value_can_never_split_the_request_and_non_ascii_is_encoded_as_ntfy_reads_it(string title, string header)
    {
        // Act
        var value = NotificationSender.HeaderValue(title);

        // Assert
        Assert.Equal(header, value);
        Assert.DoesNotContain('\n', value);
        Assert.DoesNotContain('\r', value);
    }

    [Fact(Timeout = 30000)]
    public async Task The_test_button_sends_to_each_configured_target_now_and_reports_each_answer()
    {
        // Arrange
        await using var receiver = FixtureServer.Start();
        receiver.Map("/alerts", FixtureResponse.Text("{}", "application/json"));
        receiver.Map("/hook", FixtureResponse.Status(500));
        await using var server = await ApiServer.StartAsync();
        server.Core.Settings.Update(
            new Dictionary<string, string>
            {
                ["NTFY_ENABLED"] = "true",
                ["NTFY_URL"] = receiver.BaseUrl.ToString(),
                ["NTFY_TOPIC"] = "alerts",
                ["WEBHOOK_URL"] = receiver.Url("/hook").ToString(),
            }
        );

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync("/api/settings/notifications/test"));

        // Assert
        var targets = json.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        Assert.True(targets["ntfy"].GetProperty("ok").GetBoolean());
        Assert.False(targets["webhook"].GetProperty("ok").GetBoolean());
        Assert.Contains("500", targets["webhook"].GetProperty("error").GetString());
        Assert.Contains("webhook", json.GetProperty("message").GetString());
        Assert.Equal("cast2md test notification", Assert.Single(receiver.RequestsTo("/alerts")).Header("Title"));
        Assert.Single(receiver.RequestsTo("/hook"));
        Assert.Equal(0, server.Core.Notifications.Pending()); // a test is sent now, not through the outbox
    }

    [Fact(Timeout = 30000)]
    public async Task The_test_button_says_so_when_no_target_is_configured()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.BadRequest, await server.PostAsync("/api/settings/notifications/test"));

        // Assert
        Assert.Contains("WEBHOOK_URL", json.ToString());
    }
}
