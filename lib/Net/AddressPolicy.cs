using System.Net;
using System.Net.Sockets;

namespace Cast2md.Net;

/// <summary>
/// Where outbound requests may connect. Feeds, enclosures, publisher transcripts and node URLs come from people we
/// do not control, so a URL may name (or resolve to, or redirect to) an address inside the server's own network.
/// Link-local addresses — where cloud metadata services hand out credentials — are never connected to; loopback and
/// private networks are allowed unless <see cref="AllowPrivate"/> is off (a home server's feeds may live on the LAN).
/// The check runs in the handler's connect step on the addresses DNS returned, and the socket connects to exactly
/// those checked addresses, so every redirect's new host is checked too and a second DNS answer cannot slip past.
/// </summary>
public sealed class AddressPolicy
{
    /// <summary>The default policy: private networks and loopback allowed, link-local and metadata never.</summary>
    public static AddressPolicy Default { get; } = new();

    /// <summary>Whether loopback and private-network addresses may be fetched (<c>ALLOW_PRIVATE_FEEDS</c>).</summary>
    public bool AllowPrivate { get; init; } = true;

    /// <summary>Name resolution; replaced in specs so that a name can "resolve" to any address without a packet sent.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } =
        static (host, cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>Called with every address the policy refused (for logs and specs), before the connection fails.</summary>
    public Action<string, IPAddress>? OnRefused { get; init; }

    // The AWS IMDS IPv6 endpoint sits in unique-local space, so "private" alone would let it through.
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    // Alibaba Cloud's metadata service, inside the carrier-grade NAT range (also used by Tailscale, so the range stays private).
    private static readonly IPAddress AlibabaMetadata = IPAddress.Parse("100.100.100.200");

    /// <summary>Why <paramref name="address"/> may not be connected to under this policy, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.Equals(AwsMetadataV6) || address.Equals(AlibabaMetadata))
            return "a cloud metadata address";
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (bytes[0] == 169 && bytes[1] == 254)
                return "a link-local address (where cloud metadata services answer)";
            if (bytes[0] == 0 || bytes[0] >= 224)
                return "not a unicast address";
            if (
                !AllowPrivate
                && (
                    bytes[0] is 127 or 10
                    || (bytes[0] == 172 && (bytes[1] & 0xF0) == 16)
                    || (bytes[0] == 192 && bytes[1] == 168)
                    || (bytes[0] == 100 && (bytes[1] & 0xC0) == 64)
                )
            )
                return "a loopback or private-network address (ALLOW_PRIVATE_FEEDS=false)";
            return null;
        }
        if (address.IsIPv6LinkLocal)
            return "a link-local address (where cloud metadata services answer)";
        if (address.IsIPv6Multicast || address.Equals(IPAddress.IPv6Any))
            return "not a unicast address";
        if (!AllowPrivate && (IPAddress.IsLoopback(address) || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal))
            return "a loopback or private-network address (ALLOW_PRIVATE_FEEDS=false)";
        return null;
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve, check, connect to a checked address.</summary>
    internal async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
            throw new AddressRefusedException($"{host} has no address.");
        var allowed = new List<IPAddress>(addresses.Length);
        string? firstRefusal = null;
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                OnRefused?.Invoke(host, address);
                firstRefusal ??= $"{(literal is null ? $"{host} resolves to {address}" : $"{address} is")} {reason}";
                continue;
            }
            allowed.Add(address);
        }
        if (allowed.Count == 0)
            throw new AddressRefusedException($"Refused to connect: {firstRefusal}, which cast2md never fetches from.");

        return await Connect(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The socket connect to checked addresses; specs replace it to prove that no refused address ever reaches it.</summary>
    internal Func<IReadOnlyList<IPAddress>, int, CancellationToken, ValueTask<Stream>> Connect { get; init; } = ConnectSocketAsync;

    private static async ValueTask<Stream> ConnectSocketAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. addresses], port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>An outbound connection the <see cref="AddressPolicy"/> refused; the message says which address and why.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);
