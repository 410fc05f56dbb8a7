using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.EnvTest;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.OperatorBench;

/// <summary>
/// The same burst against a real control plane (the envtest harness): the operator runs as its
/// own process (the built Platform.Operator.dll, as in its container), so its RSS is its own;
/// the API server's audit log counts its writes.
/// </summary>
internal static class EnvTestRun
{
    private const string Namespace = "bench";
    private const string OperatorUser = "platform-operator-bench";

    public static async Task<int> RunAsync(int count, double resyncSeconds, double steadySeconds)
    {
        if (EnvTestAssets.Current is null)
        {
            Console.Error.WriteLine(EnvTestAssets.MissingReason);
            return 2;
        }
        await using var plane = await ControlPlane.StartAsync();
        Console.WriteLine($"control plane started in {plane.StartupTime.TotalSeconds:F1} s");
        var admin = plane.Admin;
        foreach (var (_, yaml) in CrdFiles.Generate())
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml);
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            while ((await admin.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name)).Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") != true)
            {
                await Task.Delay(100);
            }
        }
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });

        using var op = StartOperator(plane.UserKubeconfig(OperatorUser, "system:masters"), resyncSeconds);
        await Task.Delay(TimeSpan.FromSeconds(3)); // caches synced on an empty namespace
        var idleRss = Memory(op.Id);

        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var service = new JsonObject
            {
                ["apiVersion"] = InferenceService.ApiVersionValue,
                ["kind"] = InferenceService.KindName,
                ["metadata"] = new JsonObject { ["name"] = $"svc-{i:D4}" },
                ["spec"] = JsonNode.Parse("""{"model":{"path":"model.onnx","source":{"pvc":{"claimName":"models"}}},"autoscaling":{"mode":"Off"},"replicas":1}"""),
            };
            await admin.CustomObjects.CreateNamespacedCustomObjectAsync(service, InferenceService.GroupName, InferenceService.Version, Namespace, InferenceService.Plural, cancellationToken: ct);
        });
        var created = clock.Elapsed;

        var (observed, deployments) = (0, 0);
        var peakRss = 0L;
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            (observed, deployments) = await ConvergedAsync(admin);
            peakRss = Math.Max(peakRss, Memory(op.Id).Rss);
            if (observed == count && deployments == count) break;
            if (op.HasExited) throw new InvalidOperationException($"the operator exited with {op.ExitCode}");
            await Task.Delay(500);
        }
        var converged = clock.Elapsed;
        var convergeWrites = plane.Audit.Of(OperatorUser, start).Where(e => e.IsWrite).ToList();

        // Settling: the Deployment controller still creates ReplicaSets and Pods, each a status
        // change to report. Steady state starts once the operator has written nothing for 5 s
        // (at most 3 minutes after convergence); then writes are counted over three resyncs.
        var settleClock = Stopwatch.StartNew();
        while (settleClock.Elapsed < TimeSpan.FromMinutes(3) && plane.Audit.Of(OperatorUser, DateTimeOffset.UtcNow.AddSeconds(-5)).Any(e => e.IsWrite))
        {
            await Task.Delay(1000);
        }
        var settled = settleClock.Elapsed;
        var steadyMark = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(steadySeconds));
        var steady = plane.Audit.Of(OperatorUser, steadyMark);
        var steadyWrites = steady.Where(e => e.IsWrite).ToList();
        var rest = Memory(op.Id);
        op.Kill(entireProcessTree: true);

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine($"| InferenceServices | created in | converged after (observedGeneration + Deployment each) | operator writes per service | settled after | steady-state writes over {steadySeconds:F0} s | operator RSS idle / peak while converging / steady (MB) | VmHWM (MB) | steady RssAnon (MB) | load average |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {count} | {created.TotalSeconds:F1} s | {converged.TotalSeconds:F1} s ({observed}/{deployments}) | {convergeWrites.Count / (double)count:F2} | {settled.TotalSeconds:F0} s | {steadyWrites.Count} | {idleRss.Rss / 1e6:F0} / {peakRss / 1e6:F0} / {rest.Rss / 1e6:F0} | {rest.Peak / 1e6:F0} | {rest.Anonymous / 1e6:F0} | {load} |"));
        foreach (var group in convergeWrites.GroupBy(e => $"{e.Verb} {e.Resource}{(e.Subresource is null ? "" : "/" + e.Subresource)}").OrderBy(g => g.Key))
        {
            Console.WriteLine($"  while converging: {group.Key}: {group.Count()}");
        }
        foreach (var write in steadyWrites.Take(10)) Console.WriteLine($"  steady-state write: {write}");
        return observed == count && deployments == count ? 0 : 1;
    }

    private static Process StartOperator(string kubeconfig, double resyncSeconds)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Platform.Operator.dll"));
        foreach (var argument in (string[])[$"--kubeconfig={kubeconfig}", "--urls=http://127.0.0.1:0", string.Create(CultureInfo.InvariantCulture, $"--Operator:ResyncSeconds={resyncSeconds}"), "--Logging:LogLevel:Default=Warning"])
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("operator: " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("operator: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Observed, int Deployments)> ConvergedAsync(IKubernetes admin)
    {
        var services = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(await admin.CustomObjects.ListNamespacedCustomObjectAsync(InferenceService.GroupName, InferenceService.Version, Namespace, InferenceService.Plural)))!;
        var observed = services["items"]!.AsArray().Count(s => s!["status"]?["observedGeneration"] is { } g && (long)g == (long)s["metadata"]!["generation"]!);
        var deployments = (await admin.AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items.Count;
        return (observed, deployments);
    }

    /// <summary>Resident set size, its peak, and the anonymous (heap, not mapped files) part (VmRSS, VmHWM, RssAnon) of a process, in bytes.</summary>
    private static (long Rss, long Peak, long Anonymous) Memory(int pid)
    {
        long Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
                ? long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024 : 0;
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            return (Field(lines, "VmRSS:"), Field(lines, "VmHWM:"), Field(lines, "RssAnon:"));
        }
        catch (IOException)
        {
            return (0, 0, 0);
        }
    }
}
