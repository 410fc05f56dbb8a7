using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Runtime;

namespace Platform.Operator.Controller;

/// <summary>List and watch of InferenceServices in all namespaces (or one) through the custom objects API.</summary>
public sealed class InferenceServiceSource(IKubernetes client, string? watchNamespace) : IResourceSource<InferenceService>
{
    private const string Group = InferenceService.GroupName;
    private const string Version = InferenceService.Version;
    private const string Plural = InferenceService.Plural;

    public async Task<(IReadOnlyList<InferenceService> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var body = watchNamespace is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync(Group, Version, Plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, watchNamespace, Plural, cancellationToken: cancellationToken);
        var list = KubernetesJson.Deserialize<InferenceServiceList>(((JsonElement)body).GetRawText());
        return (list.Items?.ToList() ?? [], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, InferenceService Object)> WatchAsync(string resourceVersion, Action<Exception> onError,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = watchNamespace is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(Group, Version, Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, watchNamespace, Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            yield return (type, KubernetesJson.Deserialize<InferenceService>(((JsonElement)item).GetRawText()));
        }
    }
}

/// <summary>The list type of InferenceServices as the API returns it.</summary>
public sealed class InferenceServiceList : IKubernetesObject<V1ListMeta>, IItems<InferenceService>
{
    [System.Text.Json.Serialization.JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = InferenceService.ApiVersionValue;
    [System.Text.Json.Serialization.JsonPropertyName("kind")] public string Kind { get; set; } = "InferenceServiceList";
    [System.Text.Json.Serialization.JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [System.Text.Json.Serialization.JsonPropertyName("items")] public IList<InferenceService> Items { get; set; } = [];
}
