using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.KubeApiDouble.Diagnostics;
using Platform.KubeApiDouble.Faults;
using Platform.KubeApiDouble.Http;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Storage;
using Platform.KubeApiDouble.Validation;
using Platform.KubeApiDouble.Watch;

namespace Platform.KubeApiDouble;

/// <summary>
/// An in-process Kubernetes API server for tests: HTTP on 127.0.0.1 that the KubernetesClient
/// package and kubectl talk to unchanged, with fault injection, a request log and helpers to
/// seed, inspect and await the stored objects.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;

    private KubeApiServer(WebApplication app, ObjectStore store, ResourceRegistry registry, ResourceStore resources, FaultInjector faults, RequestLog requests, string baseUrl)
    {
        _app = app;
        _store = store;
        _registry = registry;
        Store = resources;
        Faults = faults;
        Requests = requests;
        BaseUrl = baseUrl;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>: the <c>Host</c> for KubernetesClient, the <c>--server</c> for kubectl.</summary>
    public string BaseUrl { get; }

    /// <summary>Seed, inspect and change objects directly.</summary>
    public ResourceStore Store { get; }

    /// <summary>Inject errors, delays and watch failures.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every answered request, to count API traffic.</summary>
    public RequestLog Requests { get; }

    /// <summary>CEL rules of registered CRDs outside the supported subset: they are not enforced.</summary>
    public IReadOnlyList<UnevaluatedValidationRule> UnevaluatedValidationRules =>
        _registry.All
            .SelectMany(d => d.CustomVersions.Values)
            .SelectMany(v => v.Schema?.UnevaluatedRules ?? [])
            .ToList();

    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new KubeApiServerOptions();
        var store = new ObjectStore(options.WatchHistoryLimit);
        var registry = new ResourceRegistry(BuiltInResources.All);
        var operations = new ResourceOperations(store, registry, options.TimeProvider, options.RequireNamespaces);
        var requests = new RequestLog(store.Notifier);
        var faults = new FaultInjector((resource, abort) => DropWatches(store, registry, resource, abort), options.TimeProvider, store.Notifier);
        var handler = new ApiRequestHandler(
            operations, faults, requests, new WatchStream(store, options.TimeProvider, options.BookmarkInterval), options.TimeProvider, options.ServerVersion);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellation);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the API double did not report its address");
        var resources = new ResourceStore(operations);
        foreach (var ns in options.InitialNamespaces)
        {
            resources.EnsureNamespace(ns);
        }

        return new KubeApiServer(app, store, registry, resources, faults, requests, address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// Completes when <paramref name="condition"/> holds, re-checking after every write and every
    /// answered request (no polling).
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within the timeout (10 s by default).</exception>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var limit = timeout ?? DefaultWaitTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(limit);
        while (true)
        {
            var next = _store.Notifier.Next;
            if (condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"the condition did not hold within {limit.TotalSeconds:0.###} s");
            }
        }
    }

    /// <summary>Waits until an object exists and satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<JsonObject> WaitForObjectAsync(
        GroupVersionResource resource, string? ns, string name, Func<JsonObject, bool>? condition = null,
        TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        JsonObject? found = null;
        await WaitForAsync(
            () =>
            {
                found = Store.Get(resource, ns, name);
                return found is not null && (condition is null || condition(found));
            },
            timeout,
            cancellation);
        return found!;
    }

    /// <summary>Waits until an object no longer exists.</summary>
    public Task WaitForDeletionAsync(GroupVersionResource resource, string? ns, string name, TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        WaitForAsync(() => Store.Get(resource, ns, name) is null, timeout, cancellation);

    public async ValueTask DisposeAsync()
    {
        DropWatches(_store, _registry, resource: null, abort: true);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void DropWatches(ObjectStore store, ResourceRegistry registry, string? resource, bool abort)
    {
        lock (store.Gate)
        {
            var keys = resource is null ? null : registry.All.Where(d => d.Plural == resource).Select(d => d.StorageKey).ToHashSet();
            foreach (var watch in store.Watches.Where(w => keys is null || keys.Contains(w.StorageKey)).ToList())
            {
                watch.Send(new CloseSignal(abort));
                store.Unsubscribe(watch);
            }
        }
    }
}
