using Platform.LoadGen.Measurement;

namespace Platform.LoadGen.Raw;

/// <summary>One batch size measured on a bare InferenceSession: the ceiling a server could reach, and the process's resident memory right after it, the session still loaded.</summary>
internal sealed record RawRunSummary(
    string Model,
    int Threads,
    int Batch,
    long Runs,
    double Seconds,
    double RunsPerSecond,
    double RowsPerSecond,
    LatencySummary RunLatency,
    long ResidentBytes);
