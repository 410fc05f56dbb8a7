namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>
/// The scraped text is not valid Prometheus text exposition format, or is larger than
/// allowed. <see cref="LineNumber"/> is 1-based; 0 when the error is not tied to one line.
/// </summary>
public sealed class ExpositionFormatException : FormatException
{
    public ExpositionFormatException(int lineNumber, string reason)
        : base(lineNumber > 0 ? $"line {lineNumber}: {reason}" : reason)
    {
        LineNumber = lineNumber;
        Reason = reason;
    }

    public int LineNumber { get; }

    /// <summary>What is wrong, without the line number.</summary>
    public string Reason { get; }
}
