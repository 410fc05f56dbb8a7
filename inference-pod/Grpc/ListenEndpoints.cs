using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Platform.Contracts;
using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// The pod's listeners: REST where the host was told to listen (--urls, ASPNETCORE_URLS or
/// ASPNETCORE_HTTP_PORTS, as before), and the gRPC port (HTTP/2 cleartext) beside it.
/// Kestrel serves only explicitly configured endpoints once there is one, so the REST
/// addresses are read here and configured explicitly too, instead of being dropped.
/// </summary>
public sealed class ListenEndpoints
{
    private const string DefaultUrl = "http://localhost:5000";
    private ListenOptions? _grpc;

    private ListenEndpoints(IReadOnlyList<BindingAddress> rest, int grpcPort)
    {
        Rest = rest;
        GrpcPort = grpcPort;
    }

    /// <summary>The REST addresses, in the order the host would have bound them.</summary>
    public IReadOnlyList<BindingAddress> Rest { get; }
    /// <summary>The configured gRPC port (0: chosen by the system at start).</summary>
    public int GrpcPort { get; }

    /// <summary>The gRPC port actually bound, once the server has started.</summary>
    public int BoundGrpcPort => _grpc?.IPEndPoint?.Port ?? throw new InvalidOperationException("the gRPC endpoint is not bound yet");

    /// <summary>Where the pod itself reaches its gRPC endpoint once started (loopback when it listens on every interface).</summary>
    public Uri? GrpcLoopbackAddress => _grpc?.IPEndPoint is { } endpoint
        ? new Uri($"http://{LoopbackFor(endpoint.Address)}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}")
        : null;

    private static string LoopbackFor(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>
    /// Reads the REST addresses from configuration ("urls", else "http_ports", else Kestrel's
    /// default) and checks them with the gRPC port; throws <see cref="StartupException"/> on a conflict.
    /// </summary>
    public static ListenEndpoints Resolve(IConfiguration configuration, ServerOptions server)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        var ports = configuration[WebHostDefaults.HttpPortsKey];
        if (!string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey]) && string.IsNullOrWhiteSpace(urls))
            throw new StartupException($"{WebHostDefaults.HttpsPortsKey} is set but the pod serves plain HTTP; terminate TLS in front of it");
        var texts = Split(urls);
        if (texts.Length == 0) texts = Split(ports).Select(p => $"http://*:{p}").ToArray();
        if (texts.Length == 0) texts = [DefaultUrl];
        var rest = new List<BindingAddress>(texts.Length);
        foreach (var text in texts)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(text);
            }
            catch (FormatException e)
            {
                throw new StartupException($"listen address '{text}' is not valid: {e.Message}");
            }
            if (!address.IsUnixPipe && address.Scheme != "http")
                throw new StartupException($"listen address '{text}' is not plain http; the pod serves plain HTTP and TLS terminates in front of it");
            if (address.PathBase.Length > 0)
                throw new StartupException($"listen address '{text}' has a path; the pod serves at the root");
            if (!address.IsUnixPipe && server.GrpcPort != 0 && address.Port == server.GrpcPort)
                throw new StartupException($"{PodSettings.ServerGrpcPort} {server.GrpcPort} is also the REST port of '{text}'; give gRPC its own port");
            rest.Add(address);
        }
        return new ListenEndpoints(rest, server.GrpcPort);
    }

    /// <summary>
    /// Binds REST as the host would have (HTTP/1.1 and HTTP/2, Kestrel's defaults) and gRPC on
    /// HTTP/2 only, which is what lets cleartext HTTP/2 clients connect without negotiation.
    /// </summary>
    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var address in Rest) Bind(kestrel, address, address.Port, _ => { });
        Bind(kestrel, GrpcAddress(), GrpcPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            _grpc = listen;
        });
    }

    /// <summary>
    /// gRPC listens on the REST host when REST has a single IP or localhost host (a pod bound to
    /// loopback stays on loopback); on every interface otherwise.
    /// </summary>
    private BindingAddress GrpcAddress()
    {
        var hosts = Rest.Where(a => !a.IsUnixPipe).Select(a => a.Host).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var host = hosts.Length == 1 && (IPAddress.TryParse(Unbracket(hosts[0]), out _) || IsLocalhost(hosts[0])) ? hosts[0] : "*";
        return BindingAddress.Parse($"http://{host}:{GrpcPort.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void Bind(KestrelServerOptions kestrel, BindingAddress address, int port, Action<ListenOptions> configure)
    {
        if (address.IsUnixPipe)
        {
            kestrel.ListenUnixSocket(address.UnixPipePath, configure);
        }
        else if (IPAddress.TryParse(Unbracket(address.Host), out var ip))
        {
            kestrel.Listen(ip, port, configure);
        }
        else if (IsLocalhost(address.Host) && port != 0)
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (IsLocalhost(address.Host))
        {
            // A system-chosen port cannot be shared by the IPv4 and IPv6 loopbacks.
            kestrel.Listen(IPAddress.Loopback, 0, configure);
        }
        else
        {
            // "*", "+" and host names: every interface, as Kestrel does for --urls.
            kestrel.ListenAnyIP(port, configure);
        }
    }

    private static string[] Split(string? list) => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsLocalhost(string host) => host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
    private static string Unbracket(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
}
