using System.Text.Json;
using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.Json;
using Cast2md.Settings;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>/api/settings, as the original cast2md serves it: every setting with its source; overrides stored in the database.</summary>
internal static class SettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var settings = app.MapServiceGroup("/api/settings").ForAdmin();
        settings.MapGet("", GetAll);
        settings.MapPut("", Update);
        settings.MapDelete("/{key}", Reset);
        settings.MapDelete("", ResetAll);
        settings.MapPost("/notifications/test", TestNotificationsAsync);
    }

    /// <summary>
    /// Sends a test notification to every configured target now, as the original, and reports each one's answer; 200
    /// even when a target failed (the report says which), 400 when no target is configured.
    /// </summary>
    private static async Task<IResult> TestNotificationsAsync(
        [FromServices] ServerServices services,
        [FromServices] ILoggerFactory loggers,
        CancellationToken cancellationToken
    )
    {
        var core = services.Core;
        var delivery = new Notifications.NotificationDelivery(
            core.Notifications,
            core.NotificationSender,
            loggers.CreateLogger<Notifications.NotificationDelivery>()
        );
        var results = (await delivery.TestAsync(cancellationToken))
            .Select(r => new NotificationTestResult(r.Target, r.Error is null, r.Error))
            .ToList();
        if (results.Count == 0)
            return ApiErrors.BadRequest("No notification target is configured: set NTFY_ENABLED and NTFY_TOPIC, or WEBHOOK_URL.");
        var failed = results.Where(r => !r.Ok).Select(r => r.Target).ToList();
        var message =
            failed.Count == 0
                ? $"Test notification sent to {string.Join(" and ", results.Select(r => r.Target))}."
                : $"The test notification did not reach {string.Join(" and ", failed)}.";
        return ApiResults.Json(new NotificationTestResponse(results, message), Cast2mdJsonContext.Default.NotificationTestResponse);
    }

    private static IResult GetAll([FromServices] ServerServices services)
    {
        var values = services.Core.Settings.GetAll();
        var response = new SettingsResponse(
            values.ToDictionary(v => SettingResponse.ApiKey(v.Key), SettingResponse.From),
            values.Where(v => v.Definition is { IsConfigurable: true, IsSecret: false }).Select(v => SettingResponse.ApiKey(v.Key)).ToList()
        );
        return ApiResults.Json(response, Cast2mdJsonContext.Default.SettingsResponse);
    }

    /// <summary>
    /// <c>{"settings": {"key": value}}</c>. Valid keys are stored even when others are rejected; every rejected key is
    /// reported with its reason, and when none could be stored the answer is 400.
    /// </summary>
    private static IResult Update([FromBody] SettingsUpdateRequest request, [FromServices] ServerServices services)
    {
        if (request.Settings is not { Count: > 0 } given)
            return ApiErrors.BadRequest("Give the settings to change: {\"settings\": {\"whisper_model\": \"base\"}}.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var rejected = new List<RejectedSetting>();
        foreach (var (key, value) in given)
        {
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is null)
                rejected.Add(
                    new RejectedSetting(key, $"The value must be a string, number or boolean, not {value.ValueKind.ToString().ToLowerInvariant()}.")
                );
            else
                values[key] = text;
        }
        var result = services.Core.Settings.Update(values);
        rejected.AddRange(result.Rejected.Select(r => new RejectedSetting(r.Key, r.Value)));
        var applied = result.Applied.Select(SettingResponse.ApiKey).ToList();
        var message =
            applied.Count == 0
                ? $"No setting was changed: {string.Join("; ", rejected.Select(r => $"{r.Key}: {r.Reason}"))}"
                : $"Saved {string.Join(", ", applied)}"
                    + (rejected.Count > 0 ? $"; rejected {string.Join(", ", rejected.Select(r => r.Key))}." : ".");
        var response = new SettingsUpdateResponse(
            applied,
            rejected,
            result.OverriddenByEnvironment.Select(SettingResponse.ApiKey).ToList(),
            result.RequireRestart.Select(SettingResponse.ApiKey).ToList(),
            message
        );
        return ApiResults.Json(
            response,
            Cast2mdJsonContext.Default.SettingsUpdateResponse,
            applied.Count == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK
        );
    }

    /// <summary>Removes the database override of one setting; 404 for an unknown key.</summary>
    private static IResult Reset(string key, [FromServices] ServerServices services)
    {
        if (SettingDefinitions.Find(key) is not { } definition)
            return ApiErrors.NotFound($"'{key}' is not a setting.");
        var removed = services.Core.Settings.Reset(key);
        var now = services.Core.Settings.Get(definition.Key);
        return ApiResults.Message(
            removed
                ? $"{SettingResponse.ApiKey(definition.Key)} reset; it is now '{now.DisplayValue}' ({SettingResponse.SourceName(now.Source)})."
                : $"{SettingResponse.ApiKey(definition.Key)} had no stored override; it is '{now.DisplayValue}' ({SettingResponse.SourceName(now.Source)})."
        );
    }

    private static IResult ResetAll([FromServices] ServerServices services)
    {
        var removed = services.Core.Settings.ResetAll();
        return ApiResults.Message($"Removed {removed} stored override{(removed == 1 ? "" : "s")}.");
    }
}
