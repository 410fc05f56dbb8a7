using System.Text.Json.Nodes;
using Platform.KubeApiDouble;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docs;

/// <summary>
/// Runs docs/install.md's kubectl commands, in order, with the real kubectl against the
/// in-process Kubernetes API (CRD, namespace, samples, patch, get, describe, wait, delete),
/// and renders its helm commands with their values. What needs nodes (exec, cp, port-forward,
/// rollout) is checked against what the guide created by then. Where the guide waits for a
/// condition, the test writes it as the kubelet (pods) or the operator (InferenceServices) would.
/// </summary>
public sealed class InstallGuideRunTests
{
    private static readonly GroupVersionResource InferenceServices = new(InferenceService.GroupName, InferenceService.Version, InferenceService.Plural);

    [ToolFact(TestPrograms.Helm, TestPrograms.Kubectl)]
    public async Task Every_kubectl_and_helm_command_of_the_guide_works_in_order()
    {
        await using var api = await KubeApiServer.StartAsync();
        using var home = new TemporaryDirectory("install-guide-");
        var state = new GuideState();
        var ran = 0;
        foreach (var command in InstallGuide.Commands)
        {
            switch (command.Program)
            {
                case "docker" when command.Words[1] is "build":
                    state.Built.Add(command.Option("-t")!);
                    break;
                case "docker" when command.Words[1] is "tag":
                    state.Built.Add(command.Words[3]);
                    break;
                case "kind" when command.Words[1] is "load":
                    state.LoadedIntoKind.UnionWith(command.Words.Skip(3).TakeWhile(w => !w.StartsWith('-')));
                    break;
                case "helm":
                    await HelmAsync(command, state);
                    break;
                case "kubectl":
                    ran += await KubectlAsync(command, api, home, state) ? 1 : 0;
                    break;
            }
        }
        Assert.True(ran >= 10, $"only {ran} kubectl commands ran");
        Assert.NotEmpty(state.Releases);
    }

    private static async Task HelmAsync(ShellCommand command, GuideState state)
    {
        var verb = command.Words[1];
        if (verb == "uninstall")
        {
            Assert.Contains((command.Option("--namespace", "-n") ?? "default", command.Words[2]), state.Releases);
            return;
        }
        Assert.True(verb is "install" or "upgrade", $"the test renders helm install and upgrade only: {command}");
        var (release, chart, ns) = (command.Words[2], command.Words[3], command.Option("--namespace", "-n") ?? "default");
        List<string> arguments = ["template", release, chart, "--namespace", ns];
        foreach (var option in new[] { "--set", "--set-string", "--values", "-f" })
            foreach (var value in command.Options(option)) arguments.AddRange([option, value]);
        var result = await Helm.RunAsync([.. arguments]);
        Assert.True(result.ExitCode == 0, result.Describe($"{command} (as helm {string.Join(' ', arguments)})"));
        var rendered = new RenderedChart(YamlDocuments.Parse(result.StandardOutput));
        state.Releases.Add((ns, release));
        foreach (var deployment in rendered.OfKind("Deployment"))
            state.ChartDeployments.Add((ns, (string)deployment["metadata"]!["name"]!));
        if (verb != "install") return; // an upgrade with --reuse-values keeps the install's images

        // The images the chart then runs are the ones the guide built and gave the cluster.
        var images = new[] { (string)rendered.OperatorContainer["image"]!, rendered.Environment["Operator__DefaultImage"] };
        foreach (var image in images)
        {
            Assert.True(state.Built.Contains(image), $"the chart runs {image}, which the guide does not build: {command}");
            if (state.LoadedIntoKind.Count > 0)
                Assert.True(state.LoadedIntoKind.Contains(image), $"the chart runs {image}, which the guide does not load into kind: {command}");
        }
    }

    /// <summary>Runs or checks one kubectl command; true when it ran.</summary>
    private static async Task<bool> KubectlAsync(ShellCommand command, KubeApiServer api, TemporaryDirectory home, GuideState state)
    {
        var ns = command.Option("-n", "--namespace") ?? "default";
        var rest = WithoutNamespace(command.Arguments);
        var verb = rest[0];
        switch (verb)
        {
            case "exec":
                Assert.True(api.Store.Get(KubeResources.Pods, ns, rest[1]) is not null, $"no pod {ns}/{rest[1]} to exec into: {command}");
                return false;
            case "cp":
                CheckCopyTarget(command, rest[2], api);
                return false;
            case "port-forward":
                var service = rest[1].Split('/')[1];
                Assert.True(api.Store.Get(InferenceServices, ns, service) is not null, $"no InferenceService {ns}/{service} (whose Service this forwards): {command}");
                foreach (var ports in rest.Skip(2))
                    Assert.Contains(int.Parse(ports.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture), new[] { DesiredStateBuilder.ServicePort, DesiredStateBuilder.GrpcServicePort });
                return false;
            case "rollout":
                var deployment = rest[2].Split('/')[1];
                Assert.True(state.ChartDeployments.Contains((ns, deployment)) || api.Store.Get(InferenceServices, ns, deployment) is not null,
                    $"no Deployment {ns}/{deployment} from the chart or an InferenceService: {command}");
                return false;
            case "wait":
                // What the kubelet (a pod) or the operator (an InferenceService) writes when the object is ready.
                var condition = command.Option("--for")!.Split('=')[1];
                foreach (var target in rest.Skip(1).Where(w => w.Contains('/', StringComparison.Ordinal) && !w.StartsWith('-')))
                {
                    var (kind, name) = (target.Split('/')[0], target.Split('/')[1]);
                    var resource = kind is "pod" or "pods" ? KubeResources.Pods : kind is "infsvc" or "inferenceservice" ? InferenceServices : throw new InvalidOperationException($"the test cannot make {kind} ready: {command}");
                    api.Store.Mutate(resource, ns, name, o => o["status"] = new JsonObject
                    {
                        ["conditions"] = new JsonArray(new JsonObject { ["type"] = condition, ["status"] = "True", ["reason"] = condition, ["message"] = "written by the test", ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) }),
                    });
                }
                break;
            case "create" or "run":
                // kubectl's generators send protobuf, which the API double does not decode: kubectl
                // builds the object (client dry run), and the test stores exactly that.
                var built = await RunKubectlAsync(command, [.. command.Arguments, "--dry-run=client", "-o", "json"], api, home);
                var obj = JsonNode.Parse(built)!.AsObject();
                if (verb == "run") obj["metadata"]!["namespace"] = ns;
                api.Store.Create(obj);
                return true;
            case "apply" or "patch" or "get" or "describe" or "delete":
                break;
            default:
                throw new InvalidOperationException($"the test does not know how to check 'kubectl {verb}': {command}");
        }

        // A watch would never end: the test reads once.
        await RunKubectlAsync(command, command.Arguments.Where(a => a is not "-w" and not "--watch").ToList(), api, home);
        return true;
    }

    private static async Task<string> RunKubectlAsync(ShellCommand command, IReadOnlyList<string> arguments, KubeApiServer api, TemporaryDirectory home)
    {
        var result = await ProcessRunner.RunAsync(TestPrograms.Find(TestPrograms.Kubectl)!,
            ["--server", api.BaseUrl, "--cache-dir", home.File("cache"), .. arguments],
            RepositoryRoot.Path, TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["KUBECONFIG"] = home.File("no-config"), ["HOME"] = home.Path });
        Assert.True(result.ExitCode == 0, result.Describe($"{command} (as kubectl {string.Join(' ', arguments)})"));
        return result.StandardOutput;
    }

    /// <summary>kubectl cp must put the model where the InferenceService that mounts the same claim reads it.</summary>
    private static void CheckCopyTarget(ShellCommand command, string target, KubeApiServer api)
    {
        var (ns, rest) = (target.Split('/', 2)[0], target.Split('/', 2)[1]);
        var (podName, path) = (rest.Split(':')[0], rest.Split(':')[1]);
        var pod = api.Store.Get(KubeResources.Pods, ns, podName);
        Assert.True(pod is not null, $"no pod {ns}/{podName} to copy into: {command}");
        var volumes = pod["spec"]!["volumes"]!.AsArray();
        var mount = pod["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => path.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal))!;
        var claim = (string)volumes.Single(v => (string?)v!["name"] == (string?)mount["name"])!["persistentVolumeClaim"]!["claimName"]!;
        var services = api.Store.List(InferenceServices, ns).Where(s => (string?)s["spec"]!["model"]!["source"]!["pvc"]?["claimName"] == claim).ToList();
        Assert.True(services.Count > 0, $"no InferenceService in {ns} mounts claim {claim}: {command}");
        var model = services[0]["spec"]!["model"]!;
        var subPath = (string?)model["source"]!["pvc"]!["subPath"];
        var expected = $"{(string)mount["mountPath"]!}/{(subPath is null ? "" : subPath + "/")}{(string)model["path"]!}";
        Assert.True(path == expected, $"copies the model to {path}, but the InferenceService reads {expected} of claim {claim}: {command}");
    }

    private static List<string> WithoutNamespace(IReadOnlyList<string> arguments)
    {
        var rest = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is "-n" or "--namespace") { i++; continue; }
            if (arguments[i].StartsWith("--namespace=", StringComparison.Ordinal)) continue;
            rest.Add(arguments[i]);
        }
        return rest;
    }

    private sealed class GuideState
    {
        public HashSet<string> Built { get; } = new(StringComparer.Ordinal);
        public HashSet<string> LoadedIntoKind { get; } = new(StringComparer.Ordinal);
        public HashSet<(string Namespace, string Name)> Releases { get; } = [];
        public HashSet<(string Namespace, string Name)> ChartDeployments { get; } = [];
    }
}
