using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.KubeApiDouble;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Samples;

/// <summary>
/// Every sample InferenceService is accepted by the CRD's schema and CEL rules (the API double
/// enforces both), passes the operator's own validation, and turns into the objects it promises.
/// </summary>
public sealed class InferenceServiceSampleTests : IAsyncLifetime
{
    private const string Namespace = "ml";
    private KubeApiServer? _api;
    private Kubernetes? _client;

    private Kubernetes Client => _client!;

    public async Task InitializeAsync()
    {
        _api = await KubeApiServer.StartAsync();
        _api.Store.EnsureNamespace(Namespace);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _api.BaseUrl });
        foreach (var file in Directory.GetFiles(RepositoryRoot.File("crds"), "*.yaml"))
        {
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file)));
        }
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
    }

    [Fact]
    public async Task Every_sample_is_accepted_by_the_crd_and_the_operator()
    {
        var samples = SampleFiles.OfKind(InferenceService.KindName).ToList();
        Assert.NotEmpty(samples);
        // Every CEL rule of the CRD is one the double evaluates, so none is silently skipped.
        Assert.Empty(_api!.UnevaluatedValidationRules);
        foreach (var (file, document) in samples)
        {
            var stored = await CreateAsync(file, document);
            Assert.Empty(SpecValidator.Validate(stored));
            DesiredStateBuilder.Build(stored, Settings, 1, ClusterCapabilities.Newest);
        }
    }

    [Fact]
    public async Task The_samples_cover_cpu_gpu_pvc_and_autoscaled_services()
    {
        var built = new List<(InferenceService Service, DesiredState State)>();
        foreach (var (file, document) in SampleFiles.OfKind(InferenceService.KindName))
        {
            var stored = await CreateAsync(file, document);
            built.Add((stored, DesiredStateBuilder.Build(stored, Settings, 1, ClusterCapabilities.Newest)));
        }

        Assert.Contains(built, b => b.Service.Spec.Resources.Gpu == 0 && Container(b.State).Resources?.Limits?.ContainsKey(PodTemplateBuilder.GpuResource) != true);
        Assert.Contains(built, b => Container(b.State).Resources?.Limits?.TryGetValue(PodTemplateBuilder.GpuResource, out var gpus) == true && gpus.ToString() == "1");
        Assert.Contains(built, b => b.Service.Spec.Model.Source.Pvc is not null);
        Assert.Contains(built, b => b.Service.Spec.Autoscaling is { Mode: AutoscalingMode.Builtin, TargetP95LatencyMs: not null } a && a.MaxReplicas > a.MinReplicas && b.Service.Spec.Replicas is null);
        // A classifier with a Redis-shared cache (its connection string from a Secret) and rate limits.
        Assert.Contains(built, b => b.Service.Spec is { Preprocessing: not null, Postprocessing: not null, RateLimits: not null, Cache.Redis: not null }
            && Container(b.State).Env.Any(e => e.Name == "Cache__Redis" && e.Value is null && e.ValueFrom?.SecretKeyRef is not null));
    }

    [Fact]
    public void Every_claim_a_sample_mounts_is_defined_beside_it()
    {
        var services = SampleFiles.OfKind(InferenceService.KindName)
            .Select(s => (s.File, Claim: (string?)s.Document["spec"]!["model"]!["source"]!["pvc"]?["claimName"]))
            .Where(s => s.Claim is not null)
            .ToList();

        Assert.NotEmpty(services);
        Assert.All(services, s => Assert.Contains(
            SampleFiles.OfKind("PersistentVolumeClaim"),
            c => c.File == s.File && (string?)c.Document["metadata"]!["name"] == s.Claim));
    }

    [Fact]
    public async Task A_sample_broken_against_a_cel_rule_is_refused_with_the_rules_message()
    {
        var (file, document) = SampleFiles.OfKind(InferenceService.KindName).First(s => s.Document["spec"]?["autoscaling"]?["maxReplicas"] is not null);
        var broken = document.DeepClone().AsObject();
        broken["metadata"]!["name"] = "broken";
        broken["spec"]!["autoscaling"]!["minReplicas"] = (long)broken["spec"]!["autoscaling"]!["maxReplicas"]! + 1;

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(file, broken));

        Assert.Equal(422, (int)refused.Response.StatusCode);
        Assert.Contains("minReplicas must be less than or equal to maxReplicas", refused.Response.Content, StringComparison.Ordinal);
    }

    private static readonly ReconcileSettings Settings = new() { DefaultImage = "ghcr.io/platform/inference-pod:0.1.0" };

    private static V1Container Container(DesiredState state) => state.Deployment.Spec.Template.Spec.Containers.Single();

    /// <summary>Creates the sample through the API (as kubectl apply would) and returns it as stored: defaulted, with a uid.</summary>
    private async Task<InferenceService> CreateAsync(string file, JsonObject document)
    {
        Assert.True(document["metadata"]?["namespace"] is null, $"{file}: samples leave the namespace to kubectl -n");
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(document, InferenceService.GroupName, InferenceService.Version, Namespace, InferenceService.Plural);
        return KubernetesJson.Deserialize<InferenceService>(((JsonElement)created).GetRawText());
    }
}
