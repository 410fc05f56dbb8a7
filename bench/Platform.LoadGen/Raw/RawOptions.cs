using Platform.LoadGen.Cli;

namespace Platform.LoadGen.Raw;

/// <summary>Options of "loadgen raw": ONNX Runtime alone, in this process, no HTTP.</summary>
internal sealed record RawOptions(
    string ModelPath,
    int Threads,
    IReadOnlyList<int> Batches,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Seed,
    string? JsonPath,
    string Provider = RawOptions.Cpu,
    int DeviceId = 0)
{
    public const string Cpu = "cpu";
    /// <summary>ONNX Runtime's CUDA provider: needs loadgen built with -p:OnnxRuntimeFlavor=Gpu and CUDA 13 libraries.</summary>
    public const string Cuda = "cuda";

    public static RawOptions Read(ArgReader args) => new(
        CliValues.ExistingFile("model", args.RequiredString("model")),
        args.Int("threads", Environment.ProcessorCount, 1, 1024),
        args.IntList("batch", [1], 1, 65536),
        CliValues.Positive("duration", args.Duration("duration", TimeSpan.FromSeconds(10))),
        args.Duration("warmup", TimeSpan.FromSeconds(2)),
        args.Int("seed", 42, 0),
        args.OptionalString("json"),
        args.Choice("provider", Cpu, Cpu, Cuda),
        args.Int("device", 0, 0, 255));
}
