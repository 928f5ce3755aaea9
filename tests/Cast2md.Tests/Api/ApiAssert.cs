using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>Assertions on API answers: status with the body in the message, snake_case keys, ISO-8601 UTC times, error details.</summary>
public static class ApiAssert
{
    public static async Task<JsonElement> StatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if (response.Content.Headers.ContentType?.MediaType != "application/json" || body.Length == 0)
            return default;
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>An error answer: the status, and a JSON <c>{"detail": "..."}</c> containing <paramref name="detailContains"/>.</summary>
    public static async Task<string> ErrorAsync(HttpStatusCode expected, HttpResponseMessage response, string? detailContains = null)
    {
        var json = await StatusAsync(expected, response);
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        var detail = json.GetProperty("detail").GetString()!;
        if (detailContains is not null)
            Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
        return detail;
    }

    /// <summary>The object has exactly these keys (every one snake_case), in any order.</summary>
    public static void Keys(JsonElement element, params string[] keys)
    {
        var actual = element.EnumerateObject().Select(p => p.Name).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(), actual);
    }

    /// <summary>An ISO-8601 time in UTC ("...Z"); returns it parsed.</summary>
    public static DateTimeOffset IsoUtc(JsonElement element)
    {
        Assert.Equal(JsonValueKind.String, element.ValueKind);
        var text = element.GetString()!;
        Assert.EndsWith("Z", text);
        Assert.True(
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed),
            $"not ISO-8601: {text}"
        );
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
        return parsed;
    }
}
