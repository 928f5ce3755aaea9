using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cast2md.Json;
using Cast2md.Settings;

namespace Cast2md.Notifications;

/// <summary>
/// Sends one notification to one target now: ntfy as the original (<c>POST {NTFY_URL}/{NTFY_TOPIC}</c>, the message
/// as the body, <c>Title</c>, <c>Priority</c> and <c>Tags</c> headers) or the webhook (a JSON POST of the
/// <see cref="Notification"/>). Every attempt has a timeout and reads at most a few KiB of the answer.
/// </summary>
public sealed class NotificationSender(HttpClient http, SettingsStore settings, TimeSpan? requestTimeout = null)
{
    /// <summary>How much of an answer is read (for the error message); the rest is left unread.</summary>
    public const int MaxResponseBytes = 4096;

    private const int MaxTitleLength = 250;

    private readonly TimeSpan _timeout = requestTimeout ?? TimeSpan.FromSeconds(15);

    /// <summary>Null when the target answered 2xx, else a sentence saying what went wrong.</summary>
    public async Task<string?> SendAsync(string target, Notification notification, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = target switch
            {
                NotificationTargets.Ntfy => NtfyRequest(notification),
                NotificationTargets.Webhook => WebhookRequest(notification),
                _ => null,
            };
            if (request is null)
                return $"{target} is not configured (any more).";
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadBoundedAsync(response.Content, timeout.Token);
            if (response.IsSuccessStatusCode)
                return null;
            var detail = body.Trim();
            return $"{target} answered HTTP {(int)response.StatusCode}" + (detail.Length > 0 ? $": {detail[..Math.Min(detail.Length, 200)]}" : ".");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{target} did not answer within {_timeout.TotalSeconds:0} s.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Refused addresses, broken URLs and connection errors alike: the outbox retries, so the loop must not fail.
            return $"{target} could not be reached: {ex.Message}";
        }
    }

    private HttpRequestMessage? NtfyRequest(Notification notification)
    {
        var topic = settings.GetString(SettingDefinitions.NtfyTopic);
        if (!settings.GetBool(SettingDefinitions.NtfyEnabled) || topic.Length == 0)
            return null;
        var url = settings.GetString(SettingDefinitions.NtfyUrl).TrimEnd('/') + "/" + Uri.EscapeDataString(topic);
        var (priority, tags) = Look(notification.Event);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(notification.Message, Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("Title", HeaderValue(notification.Title));
        request.Headers.TryAddWithoutValidation("Priority", priority);
        request.Headers.TryAddWithoutValidation("Tags", tags);
        return request;
    }

    private HttpRequestMessage? WebhookRequest(Notification notification)
    {
        var url = settings.GetString(SettingDefinitions.WebhookUrl);
        if (url.Length == 0)
            return null;
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(notification, Cast2mdJsonContext.Default.Notification));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
    }

    /// <summary>ntfy's priority (1–5 by name) and tags (emoji short codes) per event.</summary>
    private static (string Priority, string Tags) Look(string eventName) =>
        eventName switch
        {
            NotificationEvents.TranscriptCompleted => ("default", "white_check_mark,cast2md"),
            NotificationEvents.TranscriptionFailed or NotificationEvents.DownloadFailed => ("high", "x,cast2md"),
            NotificationEvents.NodeOffline => ("high", "warning,cast2md"),
            _ => ("default", "bell,cast2md"),
        };

    /// <summary>
    /// A header value that cannot split the request: control characters (CR, LF) become spaces, and a title that is not
    /// plain ASCII is sent as an RFC 2047 encoded word, which ntfy decodes.
    /// </summary>
    public static string HeaderValue(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            builder.Append(char.IsControl(c) ? ' ' : c);
        var clean = builder.ToString().Trim();
        if (clean.Length > MaxTitleLength)
            clean = clean[..MaxTitleLength];
        if (clean.All(char.IsAscii))
            return clean;
        return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(clean)) + "?=";
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            filled += read;
        return Encoding.UTF8.GetString(buffer, 0, filled);
    }
}
