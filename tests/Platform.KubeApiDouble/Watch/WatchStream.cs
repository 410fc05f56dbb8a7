using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;
using Platform.KubeApiDouble.Storage;

namespace Platform.KubeApiDouble.Watch;

/// <summary>What a watch request asks for.</summary>
internal sealed record WatchRequest(
    ResourceDefinition Definition,
    string Version,
    string? Namespace,
    LabelSelector Labels,
    FieldSelector Fields,
    string? ResourceVersion,
    int? TimeoutSeconds,
    bool AllowBookmarks,
    bool SendInitialEvents);

/// <summary>
/// Streams a watch as newline-delimited JSON events (<c>{"type":"ADDED","object":{...}}</c>), with
/// periodic BOOKMARKs when asked, until the timeout, the client leaving, or a drop.
/// </summary>
internal sealed class WatchStream(ObjectStore store, TimeProvider time, TimeSpan bookmarkInterval)
{
    public async Task RunAsync(HttpContext context, WatchRequest request, KubeApiException? injectedError)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";

        WatchSubscription? subscription = null;
        KubeApiException? startError = injectedError;
        if (startError is null)
        {
            try
            {
                lock (store.Gate)
                {
                    var initial = request.SendInitialEvents ? "0" : request.ResourceVersion;
                    subscription = store.Subscribe(
                        request.Definition, request.Namespace, request.Labels, request.Fields, initial,
                        initialEventsEndBookmark: request.SendInitialEvents && request.AllowBookmarks);
                }
            }
            catch (KubeApiException e) when (e.Code == 410)
            {
                startError = e;
            }
        }

        await response.StartAsync(context.RequestAborted);
        if (subscription is null)
        {
            // As the real server does, a watch from a compacted resource version is answered with one ERROR event.
            await WriteLineAsync(response, ErrorLine(startError!), context.RequestAborted);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var timeout = request.TimeoutSeconds is > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(request.TimeoutSeconds.Value), time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timeout.Token);
        var bookmarks = request.AllowBookmarks ? SendBookmarksAsync(subscription, linked.Token) : Task.CompletedTask;
        try
        {
            await foreach (var signal in subscription.Signals.ReadAllAsync(linked.Token))
            {
                switch (signal)
                {
                    case WatchEventSignal e:
                        await WriteLineAsync(response, EventLine(e, request), linked.Token);
                        break;
                    case BookmarkSignal b:
                        await WriteLineAsync(response, BookmarkLine(b, request), linked.Token);
                        break;
                    case ErrorSignal error:
                        await WriteLineAsync(response, ErrorLine(error.Error), linked.Token);
                        return;
                    case CloseSignal { Abort: true }:
                        context.Abort();
                        return;
                    case CloseSignal:
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the stream simply ends.
        }
        finally
        {
            lock (store.Gate)
            {
                store.Unsubscribe(subscription);
            }

            await stop.CancelAsync();
            try
            {
                await bookmarks;
            }
            catch (OperationCanceledException)
            {
                // The bookmark loop ends with the watch.
            }
        }
    }

    private async Task SendBookmarksAsync(WatchSubscription subscription, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            await Task.Delay(bookmarkInterval, time, cancellation);
            lock (store.Gate)
            {
                // Under the lock, so the bookmark follows every event committed before it.
                subscription.Send(new BookmarkSignal(store.ResourceVersion));
            }
        }
    }

    private static string EventLine(WatchEventSignal signal, WatchRequest request)
    {
        var json = signal.Object.Json;
        if (request.Version != request.Definition.Versions[0])
        {
            var obj = (JsonObject)JsonNode.Parse(json)!;
            obj["apiVersion"] = request.Definition.ApiVersion(request.Version);
            json = obj.ToJsonString();
        }

        return $"{{\"type\":\"{signal.Type}\",\"object\":{json}}}";
    }

    private static string BookmarkLine(BookmarkSignal bookmark, WatchRequest request)
    {
        var metadata = new JsonObject { ["resourceVersion"] = bookmark.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (bookmark.InitialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var obj = new JsonObject
        {
            ["kind"] = request.Definition.Kind,
            ["apiVersion"] = request.Definition.ApiVersion(request.Version),
            ["metadata"] = metadata,
        };
        return new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString();
    }

    private static string ErrorLine(KubeApiException error) =>
        new JsonObject { ["type"] = "ERROR", ["object"] = error.ToStatus() }.ToJsonString();

    private static async Task WriteLineAsync(HttpResponse response, string line, CancellationToken cancellation)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellation);
        await response.Body.FlushAsync(cancellation);
    }
}
