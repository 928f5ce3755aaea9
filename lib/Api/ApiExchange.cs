using System.Text.Json;
using Cast2md.Json;

namespace Cast2md.Api;

/// <summary>
/// One request to a cast2md server or node, answered as status and text: the exchange that the node agent's client and
/// the monitors' client share. A missing answer (no connection, a reset, the timeout) becomes an
/// <see cref="ApiCallException"/> without status that names the address; the caller's own cancellation stays a
/// cancellation. Error statuses are returned, not thrown, so each caller decides which of them it expects.
/// </summary>
public static class ApiExchange
{
    /// <summary>Sends <paramref name="request"/> and reads the whole body within <paramref name="timeout"/>.</summary>
    public static async Task<(int Status, string Body)> SendAsync(
        HttpClient http,
        HttpRequestMessage request,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, text);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new ApiCallException($"{request.RequestUri} did not answer within {timeout.TotalSeconds:0} s", null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiCallException(
                $"cannot reach {request.RequestUri!.GetLeftPart(UriPartial.Authority)}: {ex.InnerException?.Message ?? ex.Message}",
                null,
                null,
                ex
            );
        }
    }

    /// <summary>The failure for an error answer: "{method} /{path} answered {status}: {detail}".</summary>
    public static ApiCallException Refusal(HttpMethod method, string path, int status, string body)
    {
        var detail = DetailOf(body);
        return new ApiCallException(
            $"{method} /{path.TrimStart('/').Split('?')[0]} answered {status}{(detail is null ? "" : ": " + detail)}",
            status,
            detail
        );
    }

    /// <summary>The <c>detail</c> of a JSON error body, else a short plain-text body, else null.</summary>
    public static string? DetailOf(string body)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, Cast2mdJsonContext.Default.ErrorResponse)?.Detail is { } detail)
                return detail;
        }
        catch (JsonException) { }
        return body.Length is > 0 and < 300 && !string.IsNullOrWhiteSpace(body) ? body.Trim() : null;
    }
}
