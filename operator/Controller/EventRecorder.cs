using System.Collections.Concurrent;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Controller;

/// <summary>
/// Records Kubernetes Events on an InferenceService for `kubectl describe`. The same reason
/// and message for the same object are recorded once per <see cref="RepeatAfter"/>, so
/// periodic resyncs do not flood the namespace. What was recorded is remembered only that long
/// (expired entries are pruned) and for at most <see cref="EventRecorderOptions.MaxRemembered"/> messages, the oldest
/// forgotten first. A failed event write is logged, never fatal.
/// </summary>
public sealed class EventRecorder(ClusterWriter writer, TimeProvider time, ILogger<EventRecorder> logger, EventRecorderOptions options)
{
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Uid, string Reason, string Message), DateTimeOffset> _recent = new();
    private readonly Lock _pruning = new();
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>Entries remembered for de-duplication now.</summary>
    public int Remembered => _recent.Count;

    public Task NormalAsync(InferenceService service, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(service, "Normal", reason, message, cancellationToken);

    public Task WarningAsync(InferenceService service, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(service, "Warning", reason, message, cancellationToken);

    private async Task RecordAsync(InferenceService service, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = (service.Metadata.Uid ?? service.Metadata.Name, reason, message);
        if (_recent.TryGetValue(key, out var last) && now - last < RepeatAfter) return;
        _recent[key] = now;
        Prune(now);
        var timestamp = now.UtcDateTime;
        var @event = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{service.Metadata.Name}.{Convert.ToHexString(BitConverter.GetBytes(now.UtcTicks)).ToLowerInvariant()}{Random.Shared.Next(0x1000):x3}",
                NamespaceProperty = service.Metadata.NamespaceProperty,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = InferenceService.ApiVersionValue,
                Kind = InferenceService.KindName,
                Name = service.Metadata.Name,
                NamespaceProperty = service.Metadata.NamespaceProperty,
                Uid = service.Metadata.Uid,
                ResourceVersion = service.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1021] + "..." : message,
            Source = new V1EventSource { Component = options.Component },
            ReportingComponent = options.Component,
            ReportingInstance = options.Instance,
            FirstTimestamp = timestamp,
            LastTimestamp = timestamp,
            Count = 1,
        };
        try
        {
            await writer.CreateEventAsync(@event, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _recent.TryRemove(key, out _);
            logger.LogWarning("Could not record event {Reason} on {Namespace}/{Name}: {Error}", reason, service.Metadata.NamespaceProperty, service.Metadata.Name, e.Message);
        }
    }

    /// <summary>Drops entries past <see cref="RepeatAfter"/> (at most once a minute), then the oldest beyond the cap.</summary>
    private void Prune(DateTimeOffset now)
    {
        var full = _recent.Count > options.MaxRemembered;
        if (!full && now - _lastPrune < PruneEvery) return;
        lock (_pruning)
        {
            _lastPrune = now;
            foreach (var (key, at) in _recent)
            {
                if (now - at >= RepeatAfter) _recent.TryRemove(key, out _);
            }
            var excess = _recent.Count - options.MaxRemembered;
            if (excess <= 0) return;
            foreach (var (key, _) in _recent.OrderBy(e => e.Value).Take(excess).ToList()) _recent.TryRemove(key, out _);
        }
    }
}

/// <summary>Who records the events: the component (the field manager's name) and this replica's identity.</summary>
/// <param name="MaxRemembered">Most distinct (object, reason, message) entries kept for de-duplication.</param>
public sealed record EventRecorderOptions(string Component, string Instance, int MaxRemembered = 10_000);
