using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.KubeApiDouble.Diagnostics;
using Platform.KubeApiDouble.Faults;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Patching;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;
using Platform.KubeApiDouble.Storage;
using Platform.KubeApiDouble.Watch;

namespace Platform.KubeApiDouble.Http;

/// <summary>
/// The one endpoint of the server: parses the path like the API server's request-info resolver,
/// applies injected faults, dispatches to <see cref="ResourceOperations"/>, writes JSON or a
/// <c>Status</c>, and records the request.
/// </summary>
internal sealed class ApiRequestHandler(
    ResourceOperations operations,
    FaultInjector faults,
    RequestLog log,
    WatchStream watches,
    TimeProvider time,
    string serverVersion)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = ApiPath.Parse(request.Path.Value ?? "/");
        var verb = VerbOf(request.Method, path, request.Query);
        var isApply = request.Method == HttpMethods.Patch && PatchKinds.FromContentType(request.ContentType) == PatchKind.Apply;
        try
        {
            await DispatchAsync(context, path, verb);
        }
        catch (KubeApiException e)
        {
            await WriteStatusAsync(context, e);
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.Http.BadHttpRequestException or FormatException)
        {
            await WriteStatusAsync(context, ApiErrors.BadRequest(e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await WriteStatusAsync(context, ApiErrors.InternalError(e.Message));
        }
        finally
        {
            var isResource = path.Kind == ApiPathKind.Resource;
            log.Record(sequence => new RecordedRequest(
                sequence, time.GetUtcNow(), request.Method, request.Path.Value ?? "/", verb,
                isResource ? path.Group : null, isResource ? path.Version : null, isResource ? path.Resource : null,
                path.Subresource, path.Namespace, path.Name, context.Response.StatusCode,
                request.Query["fieldManager"].FirstOrDefault(), isApply, request.Headers.UserAgent.ToString()));
        }
    }

    private async Task DispatchAsync(HttpContext context, ApiPath path, string verb)
    {
        var registry = operations.Registry;
        switch (path.Kind)
        {
            case ApiPathKind.CoreVersions:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.CoreVersions($"{context.Request.Host}"));
                return;
            case ApiPathKind.Groups:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.Groups(registry.All));
                return;
            case ApiPathKind.Group:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.Group(path.Group, registry.All) ?? throw ApiErrors.ResourceNotFound());
                return;
            case ApiPathKind.GroupVersion:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.Resources(path.Group, path.Version, registry.All) ?? throw ApiErrors.ResourceNotFound());
                return;
            case ApiPathKind.Version:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.Version(serverVersion));
                return;
            case ApiPathKind.OpenApiIndex:
                await WriteJsonAsync(context, 200, OpenApiDocuments.Index(registry.All));
                return;
            case ApiPathKind.OpenApiGroupVersion:
                await WriteJsonAsync(context, 200, OpenApiDocuments.GroupVersion(registry.All, path.Group, path.Version) ?? throw ApiErrors.ResourceNotFound());
                return;
            case ApiPathKind.Health:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok");
                return;
            case ApiPathKind.Unknown:
                throw ApiErrors.ResourceNotFound();
        }

        var definition = registry.Find(path.Group, path.Version, path.Resource) ?? throw ApiErrors.ResourceNotFound();
        if (path.Subresource is not null && !SupportsSubresource(definition, path.Subresource))
        {
            throw ApiErrors.ResourceNotFound();
        }

        var ns = definition.Namespaced ? path.Namespace : null;
        if (!definition.Namespaced && path.Namespace is not null)
        {
            throw ApiErrors.ResourceNotFound();
        }

        var query = QueryOptions.From(context.Request.Query);
        var (delay, injected) = faults.Decide(new RequestInfo(verb, path.Resource, path.Subresource, ns, path.Name), context.RequestAborted);
        if (delay is not null)
        {
            await delay;
        }

        if (verb == "watch")
        {
            if (injected is not null && injected.Code != 410)
            {
                throw injected;
            }

            await watches.RunAsync(context, WatchRequestOf(definition, path, ns, query), injected);
            return;
        }

        if (injected is not null)
        {
            throw injected;
        }

        if (query.Force is not null && !(verb == "patch" && PatchKinds.FromContentType(context.Request.ContentType) == PatchKind.Apply))
        {
            throw ApiErrors.Invalid("PatchOptions.meta.k8s.io", string.Empty,
                [Validation.FieldError.Forbidden("force", "may not be specified for non-apply patch")], "meta.k8s.io", "PatchOptions");
        }

        var write = new WriteRequest(query.FieldManager, query.Force ?? false, query.DryRun, ManagerFromUserAgent(context.Request.Headers.UserAgent.ToString()));
        switch (verb)
        {
            case "get" when path.Subresource == "scale":
                await WriteJsonAsync(context, 200, operations.GetScale(definition, ns, path.Name!));
                break;
            case "get":
                await WriteJsonAsync(context, 200, AsTableIfAsked(context, definition, path.Version, operations.Get(definition, path.Version, ns, path.Name!)));
                break;
            case "list":
                await WriteJsonAsync(context, 200, AsTableIfAsked(context, definition, path.Version, operations.List(
                    definition, path.Version, ns, ParseLabels(query), ParseFields(query, definition), query.Limit, query.Continue)));
                break;
            case "create":
                await WriteJsonAsync(context, 201, operations.Create(definition, path.Version, ns, await ReadObjectAsync(context), write));
                break;
            case "update" when path.Subresource == "scale":
                await WriteJsonAsync(context, 200, operations.UpdateScale(definition, path.Version, ns, path.Name!, await ReadObjectAsync(context), write));
                break;
            case "update":
                await WriteJsonAsync(context, 200, operations.Update(definition, path.Version, ns, path.Name!, await ReadObjectAsync(context), write, path.Subresource));
                break;
            case "patch":
                await PatchAsync(context, definition, path, ns, write);
                break;
            case "delete":
                await WriteDeletedAsync(context, definition, operations.Delete(definition, path.Version, ns, path.Name!, await ReadDeleteAsync(context, query)));
                break;
            case "deletecollection":
                await WriteJsonAsync(context, 200, operations.DeleteCollection(
                    definition, path.Version, ns, ParseLabels(query), ParseFields(query, definition), await ReadDeleteAsync(context, query)));
                break;
            default:
                throw ApiErrors.MethodNotAllowed($"the server does not allow this method on the requested resource ({context.Request.Method})");
        }
    }

    /// <summary>The object or list as a Table when the client asks for one (kubectl get does).</summary>
    private JsonObject AsTableIfAsked(HttpContext context, ResourceDefinition definition, string version, JsonObject result)
    {
        if (!TableRenderer.IsRequested(context.Request.Headers.Accept.ToString()))
        {
            return result;
        }

        var isList = result["items"] is JsonArray;
        var objects = isList ? result.ArrayAt("items")!.OfType<JsonObject>().ToList() : [result];
        var resourceVersion = result.ObjectAt("metadata")?.StringAt("resourceVersion") ?? string.Empty;
        var table = TableRenderer.Render(definition, version, objects, resourceVersion, time.GetUtcNow());
        if (isList && result.ObjectAt("metadata")?["continue"] is { } continuation)
        {
            table.ObjectAt("metadata")!["continue"] = continuation.DeepClone();
        }

        return table;
    }

    private async Task PatchAsync(HttpContext context, ResourceDefinition definition, ApiPath path, string? ns, WriteRequest write)
    {
        var kind = PatchKinds.FromContentType(context.Request.ContentType)
            ?? throw ApiErrors.UnsupportedMediaType(context.Request.ContentType ?? string.Empty);
        var body = await ReadBodyAsync(context);
        if (path.Subresource == "scale")
        {
            await WriteJsonAsync(context, 200, operations.PatchScale(definition, path.Version, ns, path.Name!, kind, body, write));
            return;
        }

        var existed = kind != PatchKind.Apply || operations.TryGet(definition, path.Version, ns, path.Name!) is not null;
        var result = operations.Patch(definition, path.Version, ns, path.Name!, kind, body, write, path.Subresource);
        await WriteJsonAsync(context, existed ? 200 : 201, result);
    }

    private static WatchRequest WatchRequestOf(ResourceDefinition definition, ApiPath path, string? ns, QueryOptions query)
    {
        var fieldSelector = query.FieldSelector;
        if (path.Name is not null)
        {
            // The older per-object watch path means a watch of one name.
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? $"metadata.name={path.Name}" : $"{fieldSelector},metadata.name={path.Name}";
        }

        return new WatchRequest(
            definition, path.Version, ns, ParseLabels(query),
            ParseFields(query with { FieldSelector = fieldSelector }, definition),
            query.ResourceVersion, query.TimeoutSeconds, query.AllowWatchBookmarks, query.SendInitialEvents);
    }

    private static string VerbOf(string method, ApiPath path, IQueryCollection query)
    {
        var watch = query.TryGetValue("watch", out var w) && w.ToString() is "true" or "1";
        return method switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" when path.Kind == ApiPathKind.Resource && path.Name is null => "list",
            "GET" or "HEAD" => "get",
            "POST" when path.Name is null => "create",
            "PUT" when path.Name is not null => "update",
            "PATCH" when path.Name is not null => "patch",
            "DELETE" when path.Name is not null => "delete",
            "DELETE" => "deletecollection",
            _ => method.ToLowerInvariant(),
        };
    }

    private static bool SupportsSubresource(ResourceDefinition definition, string subresource) => subresource switch
    {
        "status" => definition.HasStatusSubresource,
        "scale" => definition.Scale is not null,
        _ => false,
    };

    private static LabelSelector ParseLabels(QueryOptions query)
    {
        try
        {
            return LabelSelector.Parse(query.LabelSelector);
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    private static FieldSelector ParseFields(QueryOptions query, ResourceDefinition definition)
    {
        try
        {
            return FieldSelector.Parse(query.FieldSelector, definition.SelectableFields);
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    /// <summary>The manager recorded for writes without <c>fieldManager</c>: the user agent's product name, as the API server does.</summary>
    private static string ManagerFromUserAgent(string userAgent)
    {
        var product = userAgent.Split('/', 2)[0].Trim();
        return product.Length == 0 ? "unknown" : product;
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        try
        {
            return YamlJsonReader.Parse(body) as JsonObject
                ?? throw ApiErrors.BadRequest("the body of the request must be an object");
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    private static async Task<DeleteRequest> ReadDeleteAsync(HttpContext context, QueryOptions query)
    {
        var body = await ReadBodyAsync(context);
        var options = string.IsNullOrWhiteSpace(body) ? null : YamlJsonReader.Parse(body) as JsonObject;
        var preconditions = options?.ObjectAt("preconditions");
        var dryRun = query.DryRun || options?.ArrayAt("dryRun")?.Any(v => v?.GetValue<string>() == "All") == true;
        var policy = query.PropagationPolicy ?? options?.StringAt("propagationPolicy");
        if (policy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw ApiErrors.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        return new DeleteRequest(policy, preconditions?.StringAt("resourceVersion"), preconditions?.StringAt("uid"), dryRun);
    }

    /// <summary>202 with the object while finalizers hold it; then the object or a Success Status, depending on the kind.</summary>
    private static Task WriteDeletedAsync(HttpContext context, ResourceDefinition definition, DeleteResult result)
    {
        if (!result.Deleted)
        {
            return WriteJsonAsync(context, 202, result.Object);
        }

        if (definition.ReturnsDeletedObject)
        {
            return WriteJsonAsync(context, 200, result.Object);
        }

        var details = new JsonObject { ["name"] = ObjectMeta.Name(result.Object) };
        if (definition.Group.Length > 0)
        {
            details["group"] = definition.Group;
        }

        details["kind"] = definition.Plural;
        details["uid"] = ObjectMeta.Uid(result.Object);
        return WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        });
    }

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonObject body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static async Task WriteStatusAsync(HttpContext context, KubeApiException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, error.Code, error.ToStatus());
    }
}
