namespace Platform.LoadGen.Http;

/// <summary>How a request ended from the client's side.</summary>
internal enum Outcome : byte
{
    /// <summary>The server answered; the status code says how.</summary>
    Answered,
    /// <summary>No answer within --client-timeout.</summary>
    ClientTimeout,
    /// <summary>Connecting, sending or receiving failed.</summary>
    ConnectionFailed,
}

/// <summary>
/// One request, as timestamps (TimeProvider ticks). Intended is when the load model wanted it sent;
/// in a closed loop that is when it was sent, in an open loop it is its scheduled arrival.
/// </summary>
internal readonly record struct RequestSample(long Intended, long Sent, long Completed, Outcome Outcome, int StatusCode)
{
    public bool Succeeded => Outcome == Outcome.Answered && StatusCode is >= 200 and < 300;

    public bool Rejected => Outcome == Outcome.Answered && StatusCode == 429;

    /// <summary>Latency as the user sees it: from the intended send, so a late send counts against the server (no coordinated omission).</summary>
    public long Latency => Completed - Intended;

    /// <summary>"200", "429", "client_timeout", "connection_failed".</summary>
    public string OutcomeKey => Outcome switch
    {
        Outcome.Answered => StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Outcome.ClientTimeout => "client_timeout",
        _ => "connection_failed",
    };
}

/// <summary>The samples of one run whose intended send fell inside the measured window [Start, End).</summary>
internal sealed record LoadRecording(IReadOnlyList<RequestSample> Samples, long Start, long End);
