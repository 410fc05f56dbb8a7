namespace Platform.KubeApiDouble;

/// <summary>Settings of the API double.</summary>
public sealed record KubeApiServerOptions
{
    /// <summary>The clock for timestamps, watch timeouts, bookmarks and injected delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many changes are kept for watches to resume from; older resource versions get 410.</summary>
    public int WatchHistoryLimit { get; init; } = 10_000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether creating a namespaced object needs its namespace to exist (as on a real server).</summary>
    public bool RequireNamespaces { get; init; } = true;

    /// <summary>Namespaces that exist from the start.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>The version <c>/version</c> reports (gitVersion; major and minor are read from it), for clients that adapt to the server's version.</summary>
    public string ServerVersion { get; init; } = "v1.32.0-kubeapidouble";

    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }
}
