using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cast2md.Tests.Infra;

/// <summary>
/// A loopback TCP proxy in front of a server that drops the connection of the first response to a request whose
/// path contains <see cref="CutPath"/> after <see cref="CutAfterBytes"/> bytes — a connection lost mid-download,
/// which the real server cannot be made to do on demand. Records every request line and Range header it forwards.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private int _cuts;

    private CuttingProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptAsync();
    }

    public static CuttingProxy Start(Uri target, string cutPath, long cutAfterBytes) =>
        new(target) { CutPath = cutPath, CutAfterBytes = cutAfterBytes };

    public string CutPath { get; private init; } = "";

    public long CutAfterBytes { get; private init; }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>"GET /path" plus " Range: ..." when the request had one.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                var fromClient = client.GetStream();
                var toServer = upstream.GetStream();
                var cutThis = new StrongBox<bool>();
                var up = PumpRequestsAsync(fromClient, toServer, cutThis);
                var down = PumpResponseAsync(toServer, fromClient, cutThis);
                await Task.WhenAny(up, down);
            }
            catch (Exception)
            {
                // A dropped connection is the point of this class.
            }
        }
    }

    private async Task PumpRequestsAsync(NetworkStream from, NetworkStream to, StrongBox<bool> cutThis)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            foreach (
                var line in text.Split("\r\n")
                    .Where(l =>
                        l.StartsWith("GET ", StringComparison.Ordinal)
                        || l.StartsWith("POST ", StringComparison.Ordinal)
                        || l.StartsWith("DELETE ", StringComparison.Ordinal)
                    )
            )
            {
                var range = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase));
                var request = line[..line.LastIndexOf(' ')] + (range is null ? "" : " " + range);
                lock (_requests)
                    _requests.Add(request);
                if (line.Contains(CutPath, StringComparison.Ordinal) && Interlocked.CompareExchange(ref _cuts, 1, 0) == 0)
                    cutThis.Value = true;
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private async Task PumpResponseAsync(NetworkStream from, NetworkStream to, StrongBox<bool> cutThis)
    {
        var buffer = new byte[16 * 1024];
        long sent = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (cutThis.Value && sent + read > CutAfterBytes)
            {
                await to.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, CutAfterBytes - sent)), _stop.Token);
                return; // the connection closes mid-body
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            sent += read;
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class StrongBox<T>
    {
        public T? Value { get; set; }
    }
}
