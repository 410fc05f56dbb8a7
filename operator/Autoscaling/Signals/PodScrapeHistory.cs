using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// The recent successful scrapes of each pod of one service, oldest first. Immutable: each
/// change returns a new history, so a decision can be computed from a consistent view.
/// </summary>
public sealed class PodScrapeHistory
{
    public static readonly PodScrapeHistory Empty = new(ImmutableDictionary<string, ImmutableList<PodMetricsSnapshot>>.Empty.WithComparers(StringComparer.Ordinal));

    private readonly ImmutableDictionary<string, ImmutableList<PodMetricsSnapshot>> _byPod;

    private PodScrapeHistory(ImmutableDictionary<string, ImmutableList<PodMetricsSnapshot>> byPod) => _byPod = byPod;

    public IEnumerable<string> PodNames => _byPod.Keys;

    /// <summary>The pod's snapshots, oldest first; empty when it was never scraped successfully.</summary>
    public IReadOnlyList<PodMetricsSnapshot> For(string podName) =>
        _byPod.TryGetValue(podName, out var list) ? list : ImmutableList<PodMetricsSnapshot>.Empty;

    /// <summary>
    /// Adds a snapshot and drops the pod's snapshots that no window of length
    /// <paramref name="retention"/> ending at it can need (the newest one at or before the
    /// window start is kept as that window's baseline). A snapshot not newer than the pod's
    /// last means the clock stepped back: the older snapshots can no longer be placed in
    /// time, so the pod starts over from this one.
    /// </summary>
    public PodScrapeHistory Record(PodMetricsSnapshot snapshot, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "Retention must be positive.");
        }

        var list = _byPod.TryGetValue(snapshot.PodName, out var existing) ? existing : ImmutableList<PodMetricsSnapshot>.Empty;
        if (list.Count > 0 && snapshot.ScrapedAt <= list[^1].ScrapedAt)
        {
            list = ImmutableList<PodMetricsSnapshot>.Empty;
        }

        list = list.Add(snapshot);
        var cutoff = snapshot.ScrapedAt - retention;
        var firstKept = 0;
        while (firstKept + 1 < list.Count && list[firstKept + 1].ScrapedAt <= cutoff)
        {
            firstKept++;
        }

        if (firstKept > 0)
        {
            list = list.RemoveRange(0, firstKept);
        }

        return new PodScrapeHistory(_byPod.SetItem(snapshot.PodName, list));
    }

    /// <summary>Forgets pods that no longer exist.</summary>
    public PodScrapeHistory RetainOnly(IEnumerable<string> podNames)
    {
        ArgumentNullException.ThrowIfNull(podNames);
        var keep = podNames.ToHashSet(StringComparer.Ordinal);
        var gone = _byPod.Keys.Where(k => !keep.Contains(k)).ToList();
        return gone.Count == 0 ? this : new PodScrapeHistory(_byPod.RemoveRange(gone));
    }
}
