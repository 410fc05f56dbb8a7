using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Platform.InferencePod.Pipeline;

/// <summary>
/// The loopback connections the pod opens to itself to warm its HTTP and gRPC paths. A request
/// that arrives on one of them is the pod's own warm-up call: it passes before readiness, skips
/// quotas and the cache, and stays out of the metrics. The mark lives in this process (the
/// connection's local port, registered before it connects), so no client can claim it.
/// </summary>
public sealed class WarmupConnections
{
    private readonly ConcurrentDictionary<int, byte> _ports = new();

    /// <summary>Whether a request came over one of the pod's own warm-up connections.</summary>
    public bool IsWarmup(IPAddress? remoteAddress, int remotePort) =>
        remoteAddress is not null && IPAddress.IsLoopback(remoteAddress) && !_ports.IsEmpty && _ports.ContainsKey(remotePort);

    /// <summary>A handler whose connections are marked as warm-up connections; <see cref="Dispose"/> them with the handler.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                var loopback = context.DnsEndPoint.Host.Contains(':') ? IPAddress.IPv6Loopback : IPAddress.Loopback;
                socket.Bind(new IPEndPoint(loopback, 0));
                var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                _ports[port] = 0;
                await socket.ConnectAsync(new IPEndPoint(loopback, context.DnsEndPoint.Port), cancellationToken);
                return new MarkedStream(socket, port, _ports);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Unmarks the port when the connection closes, so a later client reusing it is a client.</summary>
    private sealed class MarkedStream(Socket socket, int port, ConcurrentDictionary<int, byte> ports) : NetworkStream(socket, ownsSocket: true)
    {
        protected override void Dispose(bool disposing)
        {
            ports.TryRemove(port, out _);
            base.Dispose(disposing);
        }
    }
}
