using StackExchange.Redis;

namespace Platform.InferencePod.Caching;

/// <summary>
/// One Redis connection per connection string, shared by the features that use it (cache, jobs).
/// Connections never fail start-up and never queue commands while disconnected: a call to an
/// unreachable Redis fails at once (or after the timeout), and the caller serves without it.
/// </summary>
public sealed class RedisConnections : IAsyncDisposable
{
    private readonly Dictionary<string, ConnectionMultiplexer> _connections = new(StringComparer.Ordinal);

    public IConnectionMultiplexer Get(string connectionString, TimeSpan timeout)
    {
        lock (_connections)
        {
            if (_connections.TryGetValue(connectionString, out var existing)) return existing;
            var options = ConfigurationOptions.Parse(connectionString);
            var milliseconds = (int)Math.Ceiling(timeout.TotalMilliseconds);
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ConnectTimeout = Math.Max(milliseconds, 1000);
            options.SyncTimeout = milliseconds;
            options.AsyncTimeout = milliseconds;
            options.ConnectRetry = 1;
            var connection = ConnectionMultiplexer.Connect(options);
            _connections[connectionString] = connection;
            return connection;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer[] connections;
        lock (_connections)
        {
            connections = _connections.Values.ToArray();
            _connections.Clear();
        }
        foreach (var connection in connections) await connection.DisposeAsync();
    }
}
