using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s;

namespace Platform.KubeApiDouble.Tests;

/// <summary>Drains a KubernetesClient watch in the background so a test can await its events one by one.</summary>
internal sealed class WatchProbe<T> : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly CancellationTokenSource _stop = new();

    private WatchProbe(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open)
    {
        Completion = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in open(_errors.Enqueue, _stop.Token))
                {
                    await _events.Writer.WriteAsync(item);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                _errors.Enqueue(e);
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    /// <summary>Ends when the server ends the watch (or the probe is disposed).</summary>
    public Task Completion { get; }

    public IReadOnlyCollection<Exception> Errors => _errors;

    public static WatchProbe<T> Start(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open) => new(open);

    public async Task<(WatchEventType Type, T Object)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Waits for the watch to end and returns whether it ended before the patience ran out.</summary>
    public async Task<bool> EndsAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await Completion.WaitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Completion.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            // Nothing more to do: the test is over.
        }

        _stop.Dispose();
    }
}
