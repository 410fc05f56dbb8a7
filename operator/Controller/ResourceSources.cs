using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Controller;

/// <summary>List and watch of a built-in kind through KubernetesClient's typed calls.</summary>
public sealed class TypedSource<T, TList>(
    Func<CancellationToken, Task<TList>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch) : IResourceSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public async Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var result = await list(cancellationToken);
        return (result.Items.ToList(), result.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        watch(resourceVersion, onError, cancellationToken);
}

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

/// <summary>Watches end on the server's side after a randomised few minutes (as client-go does), then resume.</summary>
public static class WatchTimeout
{
    public static int Seconds() => 240 + Random.Shared.Next(120);
}
