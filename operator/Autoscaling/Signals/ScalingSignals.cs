using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// Everything the scaling policy knows about a service at one moment.
/// </summary>
/// <param name="ReadyPods">Pods whose Ready condition is true.</param>
/// <param name="NotReadyPods">Pods still starting or warming up: no capacity yet.</param>
/// <param name="MissingPods">Ready pods without a fresh successful scrape.</param>
/// <param name="MeasuredPods">Ready pods with a fresh scrape; the gauges below sum over them.</param>
/// <param name="QueueDepth">Requests waiting for a batch, at the latest scrapes.</param>
/// <param name="InFlight">Requests admitted and not yet answered, at the latest scrapes.</param>
/// <param name="Stable">Traffic over the stable window.</param>
/// <param name="Short">Traffic since each pod's previous scrape.</param>
public sealed record ScalingSignals(
    int ReadyPods,
    int NotReadyPods,
    ImmutableArray<string> MissingPods,
    int MeasuredPods,
    double QueueDepth,
    double InFlight,
    WindowSignals Stable,
    WindowSignals Short)
{
    /// <summary>Signals of a service with no measured pod.</summary>
    public static ScalingSignals NoData(int readyPods, int notReadyPods, ImmutableArray<string> missingPods) =>
        new(readyPods, notReadyPods, missingPods, 0, 0, 0, WindowSignals.None, WindowSignals.None);

    /// <summary>The measured pods one by one, so rules that must not mix pods can apply per pod.</summary>
    public ImmutableArray<PodSignals> Pods { get; init; } = [];

    /// <summary>True when at least one pod was measured; without that no decision is valid.</summary>
    public bool HasData => MeasuredPods > 0;
}
