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
    string? JsonPath)
{
    public static RawOptions Read(ArgReader args, string modelOption = "model") => new(
        ExistingFile(args.RequiredString(modelOption), modelOption),
        args.Int("threads", Environment.ProcessorCount, 1, 1024),
        args.IntList("batch", [1], 1, 65536),
        Positive(args.Duration("duration", TimeSpan.FromSeconds(10)), "duration"),
        args.Duration("warmup", TimeSpan.FromSeconds(2)),
        args.Int("seed", 42, 0),
        args.OptionalString("json"));

    internal static string ExistingFile(string path, string option) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new UsageException($"--{option}: no file at '{path}'");

    internal static TimeSpan Positive(TimeSpan value, string option) =>
        value > TimeSpan.Zero ? value : throw new UsageException($"--{option} must be longer than zero");
}
