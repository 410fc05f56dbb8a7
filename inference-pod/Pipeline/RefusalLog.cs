using System.Collections.Concurrent;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Pipeline;

/// <summary>
/// Logs refusals as one line per kind (status and reason) at most once a second, with how many
/// there were since the last line: under overload the log stays readable and cheap instead of
/// one line per refused request.
/// </summary>
public sealed class RefusalLog(TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(int Status, string? Reason), Kind> _kinds = new();

    public void Add(InferenceError error)
    {
        // A client that left needs no line; it is counted in the metrics.
        if (ReferenceEquals(error, Refusals.ClientGone)) return;
        var kind = _kinds.GetOrAdd((error.StatusCode, error.RejectionReason), _ => new Kind());
        var now = time.GetTimestamp();
        int count;
        lock (kind)
        {
            kind.Count++;
            if (kind.LastLogged != 0 && time.GetElapsedTime(kind.LastLogged, now) < Interval) return;
            count = kind.Count;
            kind.Count = 0;
            kind.LastLogged = now;
        }
        var level = error.StatusCode >= 500 ? LogLevel.Warning : LogLevel.Information;
        logger.Log(level, "Answered {Count} request(s) with {Status} ({Reason}) since the last such line; latest: {Message}",
            count, error.StatusCode, error.RejectionReason ?? "error", error.Message);
    }

    private sealed class Kind
    {
        public int Count;
        public long LastLogged;
    }
}
