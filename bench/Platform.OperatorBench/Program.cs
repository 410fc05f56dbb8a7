using System.Diagnostics;
using k8s;
using k8s.Models;
using Platform.KubeApiDouble;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Hosting;

// Creates N InferenceServices at once against the Kubernetes API double and measures how the
// operator copes: time until every one is reconciled (status observed), API requests per
// reconcile, and writes in steady state over a few resync periods (the target is zero).
// With --envtest, against a real control plane instead (see EnvTestRun).
//   Platform.OperatorBench [count] [resyncSeconds] [--envtest]
var envtest = args.Contains("--envtest");
args = args.Where(a => a != "--envtest").ToArray();
var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var resyncSeconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
if (envtest) return await Platform.OperatorBench.EnvTestRun.RunAsync(count, resyncSeconds, steadySeconds: resyncSeconds * 3 + 1);

await using var api = await KubeApiServer.StartAsync();
var client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseUrl });
foreach (var (_, yaml) in CrdFiles.Generate())
{
    await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml));
}
api.Store.EnsureNamespace("bench");

var app = OperatorHost.Build([$"--Kubernetes:Host={api.BaseUrl}", "--urls=http://127.0.0.1:0", $"--Operator:ResyncSeconds={resyncSeconds}", "--Logging:LogLevel:Default=Warning"]);
await app.StartAsync();
var services = new GroupVersionResource(InferenceService.GroupName, InferenceService.Version, InferenceService.Plural);

var mark = api.Requests.Mark();
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    var service = new InferenceService
    {
        Metadata = new V1ObjectMeta { Name = $"svc-{i:D4}", NamespaceProperty = "bench" },
        Spec = new InferenceServiceSpec { Model = new ModelSpec { Path = "model.onnx", Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } } } },
    };
    await client.CustomObjects.CreateNamespacedCustomObjectAsync(service, InferenceService.GroupName, InferenceService.Version, "bench", InferenceService.Plural, cancellationToken: ct);
});
var created = clock.Elapsed;
await api.WaitForAsync(() => api.Store.List(services, "bench").Count(s => s["status"]?["observedGeneration"] is not null) == count, TimeSpan.FromMinutes(10));
var reconciled = clock.Elapsed;
var requests = api.Requests.Since(mark).Where(r => r.Resource is not null && r.Verb != "watch").ToList();
var operatorWrites = requests.Count(r => r.IsWrite && !(r.Resource == "inferenceservices" && r.Verb == "create" && r.Subresource is null));

// Steady state: let stragglers settle, then count writes over three resync periods.
await Task.Delay(TimeSpan.FromSeconds(2));
var steadyMark = api.Requests.Mark();
await Task.Delay(TimeSpan.FromSeconds(resyncSeconds * 3 + 1));
var steadyWrites = api.Requests.Since(steadyMark).Count(r => r.IsWrite);
var steadyReads = api.Requests.Since(steadyMark).Count(r => !r.IsWrite && r.Verb != "watch");
await app.StopAsync();

Console.WriteLine($"| InferenceServices | created in | all reconciled after | API writes per service | operator API reads (lists) | steady-state writes over {resyncSeconds * 3:F0} s (3 resyncs) | steady-state reads |");
Console.WriteLine("|---|---|---|---|---|---|---|");
Console.WriteLine($"| {count} | {created.TotalSeconds:F1} s | {reconciled.TotalSeconds:F1} s | {operatorWrites / (double)count:F2} | {requests.Count(r => !r.IsWrite)} | {steadyWrites} | {steadyReads} |");
Console.WriteLine();
Console.WriteLine("Writes by kind while reconciling:");
foreach (var group in requests.Where(r => r.IsWrite).GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}").OrderBy(g => g.Key))
{
    Console.WriteLine($"  {group.Key}: {group.Count()}");
}
return 0;
