using System.Collections.Concurrent;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Controller;

/// <summary>
/// Records Kubernetes Events on an InferenceService for `kubectl describe`. The same reason
/// and message for the same object are recorded once per <see cref="RepeatAfter"/>, so
/// periodic resyncs do not flood the namespace. A failed event write is logged, never fatal.
/// </summary>
public sealed class EventRecorder(ClusterWriter writer, TimeProvider time, ILogger<EventRecorder> logger, string component, string instance)
{
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string Uid, string Reason, string Message), DateTimeOffset> _recent = new();

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
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
            ReportingInstance = instance,
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

    /// <summary>Forgets what was recorded for objects that no longer exist.</summary>
    public void Forget(string uid)
    {
        foreach (var key in _recent.Keys.Where(k => k.Uid == uid).ToList()) _recent.TryRemove(key, out _);
    }
}
