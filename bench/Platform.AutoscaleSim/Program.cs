using System.Diagnostics;
using System.Globalization;
using System.Text;
using Platform.AutoscaleSim.Cluster;
using Platform.AutoscaleSim.Profiles;
using Platform.AutoscaleSim.Reporting;
using Platform.AutoscaleSim.Simulation;
using Platform.AutoscaleSim.Workload;

// Compares the operator's autoscaling policy with HPA, KEDA, Knative KPA and an oracle on
// simulated pods with a CPU and a GPU service-time curve. Usage:
//   dotnet run -c Release --project bench/Platform.AutoscaleSim -- [--out DIR] [--profiles DIR]
//       [--seed N] [--seeds COUNT (5): seeds N..N+COUNT-1, mean and worst] [--balancing least-queue|round-robin] [--traces step,ramp,spike,diurnal] [--no-plots]
//       [--sweep]                      one pod's in-flight, p95 and refusals against load, then exit
//       [--log CURVE/TRACE/POLICY]     every decision of that platform policy run, in words, on stderr
//       [--policies PREFIX,...]        only the policies whose names start with one of these (e.g. platform,oracle,reactive)
var options = ParseOptions(args);
if (options is null)
{
    return 2;
}

var (outDir, profilesDir, seed, seedCount, balancing, traceNames, plots, sweep, log, policies) = options.Value;
Directory.CreateDirectory(outDir);
var stopwatch = Stopwatch.StartNew();

Curve[] curves;
try
{
    curves =
    [
        new Curve("cpu", new PodSpec("mobilenet_v2",
            BatchLatencyProfile.Load(Path.Combine(profilesDir, "cpu-2core-ort-mobilenet_v2.jsonl"), "mobilenet_v2", "float32"),
            MaxBatch: 8, QueueCapacity: 64, StartSeconds: 10, WarmupSeconds: 5, DeadlineSeconds: 0.100), SloSeconds: 0.100),
        new Curve("gpu", new PodSpec("resnet18",
            BatchLatencyProfile.Load(Path.Combine(profilesDir, "h100-torch-eager.jsonl"), "resnet18", "float32"),
            MaxBatch: 32, QueueCapacity: 512, StartSeconds: 30, WarmupSeconds: 15, DeadlineSeconds: 0.025), SloSeconds: 0.025),
    ];
}
catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: cannot load a profile: {e.Message}");
    return 1;
}

if (sweep)
{
    foreach (var curve in curves)
    {
        Console.WriteLine(LoadSweep.Render(curve, seed));
    }

    return 0;
}

var traces = LoadTrace.All.Where(t => traceNames is null || traceNames.Contains(t.Name)).ToList();
var experiments = curves.AsParallel().AsOrdered().Select(c => new Experiment(c, balancing, seed, log)).ToList();
var calibrated = stopwatch.Elapsed;
var seeds = Enumerable.Range(seed, seedCount).ToList();
var jobs = (from experiment in experiments
            from trace in traces
            from factory in experiment.Autoscalers(trace)
            where policies is null || policies.Any(p => factory(seed).Name.StartsWith(p, StringComparison.Ordinal))
            from runSeed in seeds
            select (experiment, trace, factory, runSeed)).ToList();
var seeded = new (int Seed, RunResult Run)[jobs.Count];
Parallel.For(0, jobs.Count, i =>
{
    var (experiment, trace, factory, runSeed) = jobs[i];
    seeded[i] = (runSeed, experiment.Run(trace, factory(runSeed), runSeed));
});
var results = seeded.Where(r => r.Seed == seed).Select(r => r.Run).ToArray();

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Seeds {seed}–{seed + seedCount - 1} (calibration with seed {seed}), load balancing {balancing}, {Simulator.TickSeconds * 1000:0} ms ticks.");
report.AppendLine();
foreach (var experiment in experiments)
{
    report.AppendLine("- " + experiment.Describe());
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Mean and worst over the {seedCount} seeds:");
report.AppendLine();
report.Append(MarkdownTable.RenderSeeds(seeded));
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Seed {seed} alone:");
report.AppendLine();
report.Append(MarkdownTable.Render(results));
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Decisions of the platform policy, seed {seed} (reason counts):");
report.AppendLine();
foreach (var run in results.Where(r => r.Notes.Length > 0))
{
    report.AppendLine(CultureInfo.InvariantCulture, $"- {run.Curve}/{run.Trace}/{run.Policy}: {run.Notes}");
}

if (plots)
{
    foreach (var group in results.GroupBy(r => (r.Curve, r.Trace)))
    {
        var curve = curves.Single(c => c.Name == group.Key.Curve);
        Plotter.Save(outDir, group.ToList(), curve.SloSeconds);
    }
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Calibration {calibrated.TotalSeconds:0.0} s, then {seeded.Length} runs and plots: {stopwatch.Elapsed.TotalSeconds:0.0} s in all on {Environment.ProcessorCount} cores.");
File.WriteAllText(Path.Combine(outDir, "results.md"), report.ToString());
Console.Write(report);
return 0;

static (string Out, string Profiles, int Seed, int Seeds, LoadBalancing Balancing, HashSet<string>? Traces, bool Plots, bool Sweep, string? Log, string[]? Policies)? ParseOptions(string[] args)
{
    var root = FindRepositoryRoot();
    string outDir = Path.Combine(root, "bench", "autoscaling"), profiles = Path.Combine(root, "bench", "profiles");
    var seed = 42;
    var seedCount = 5;
    var balancing = LoadBalancing.LeastQueue;
    HashSet<string>? traces = null;
    var plots = true;
    var sweep = false;
    string? log = null;
    string[]? policies = null;
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        try
        {
            switch (args[i])
            {
                case "--out": outDir = Value(); break;
                case "--profiles": profiles = Value(); break;
                case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seeds":
                    seedCount = int.Parse(Value(), CultureInfo.InvariantCulture);
                    if (seedCount < 1) throw new ArgumentException("--seeds must be at least 1");
                    break;
                case "--balancing":
                    balancing = Value() switch
                    {
                        "least-queue" => LoadBalancing.LeastQueue,
                        "round-robin" => LoadBalancing.RoundRobin,
                        var other => throw new ArgumentException($"unknown balancing '{other}' (least-queue or round-robin)"),
                    };
                    break;
                case "--traces":
                    traces = Value().Split(',').ToHashSet();
                    var unknown = traces.Except(LoadTrace.All.Select(t => t.Name)).ToList();
                    if (unknown.Count > 0)
                    {
                        throw new ArgumentException($"unknown trace(s) {string.Join(", ", unknown)}");
                    }

                    break;
                case "--no-plots": plots = false; break;
                case "--sweep": sweep = true; break;
                case "--log": log = Value(); break;
                case "--policies": policies = Value().Split(','); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    return (outDir, profiles, seed, seedCount, balancing, traces, plots, sweep, log, policies);
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
