using k8s.Models;

namespace Platform.Operator.Runtime;

/// <summary>The work queue's key: "namespace/name".</summary>
public static class ObjectKey
{
    public static string Of(V1ObjectMeta metadata) => Of(metadata.NamespaceProperty, metadata.Name);
    public static string Of(string? @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";

    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
