using k8s;
using k8s.Models;

namespace Platform.Operator.Runtime;

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
