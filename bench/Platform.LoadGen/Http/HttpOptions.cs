using Platform.LoadGen.Cli;

namespace Platform.LoadGen.Http;

/// <summary>Options of "loadgen http" (and the HTTP half of "loadgen compare").</summary>
internal sealed record HttpOptions(
    Uri BaseUrl,
    string Model,
    LoadMode Mode,
    int Concurrency,
    double? Rate,
    ArrivalProcess Arrivals,
    TimeSpan Duration,
    TimeSpan Warmup,
    PayloadKind Payload,
    int Batch,
    int? TimeoutMs,
    int? Priority,
    double? SloMs,
    int? Connections,
    bool ExpectContinue,
    TimeSpan ClientTimeout,
    TimeSpan ReadyTimeout,
    int Seed,
    string? JsonPath)
{
    /// <summary>Open loop needs room for every request in flight; closed loop needs one connection per client.</summary>
    public int PoolSize => Connections ?? (Mode == LoadMode.Open ? 512 : Concurrency);

    /// <summary>Goodput counts successes answered within this many milliseconds; null counts every success.</summary>
    public double? EffectiveSloMs => SloMs ?? TimeoutMs;

    /// <summary>
    /// Reads the options; <paramref name="loadShape"/> false leaves out mode, rate, arrivals and concurrency
    /// (compare sets them), and <paramref name="defaultModel"/> makes --model optional.
    /// </summary>
    public static HttpOptions Read(ArgReader args, bool loadShape = true, string? defaultModel = null)
    {
        var mode = loadShape ? Enum.Parse<LoadMode>(args.Choice("mode", "closed", "closed", "open"), ignoreCase: true) : LoadMode.Closed;
        var rate = loadShape ? args.OptionalDouble("rate", 0.001, 1_000_000) : null;
        if (mode == LoadMode.Open && rate is null)
        {
            throw new UsageException("--mode open needs --rate (requests per second)");
        }
        if (mode == LoadMode.Closed && rate is not null)
        {
            throw new UsageException("--rate applies to --mode open only");
        }
        return new HttpOptions(
            ParseUrl(args.String("url", "http://127.0.0.1:8080")),
            defaultModel is null ? args.RequiredString("model") : args.String("model", defaultModel),
            mode,
            loadShape ? args.Int("concurrency", 1, 1, 100_000) : 1,
            rate,
            loadShape ? Enum.Parse<ArrivalProcess>(args.Choice("arrivals", "poisson", "poisson", "constant"), ignoreCase: true) : ArrivalProcess.Poisson,
            CliValues.Positive("duration", args.Duration("duration", TimeSpan.FromSeconds(20))),
            args.Duration("warmup", TimeSpan.FromSeconds(5)),
            Enum.Parse<PayloadKind>(args.Choice("payload", "binary", "json", "binary"), ignoreCase: true),
            args.Int("batch", 1, 1, 65536),
            args.OptionalInt("timeout-ms", 1, int.MaxValue / 1000),
            args.OptionalInt("priority", 0, 1000),
            args.OptionalDouble("slo-ms", 0.001, 1e9),
            args.OptionalInt("connections", 1, 100_000),
            args.Flag("expect-continue"),
            CliValues.Positive("client-timeout", args.Duration("client-timeout", TimeSpan.FromSeconds(30))),
            args.Duration("ready-timeout", TimeSpan.FromSeconds(30)),
            args.Int("seed", 42, 0),
            args.OptionalString("json"));
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--url: '{text}' is not an http:// or https:// address");
}
