using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Protocol;

/// <summary>The Open Inference Protocol's REST routes.</summary>
public static class V2Endpoints
{
    public static void MapV2(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<PodState>();
        var scheduler = app.Services.GetRequiredService<InferenceScheduler>();
        var documents = app.Services.GetRequiredService<MetadataDocuments>();
        var infer = app.Services.GetRequiredService<InferHandler>();

        app.MapGet("/v2", context => WriteJsonAsync(context.Response, documents.Server));
        // The protocol's health answers are the status code alone, with an empty body.
        app.MapGet(InferenceProtocol.LivePath, context => StatusAsync(context, StatusCodes.Status200OK));
        app.MapGet(InferenceProtocol.ReadyPath, context => StatusAsync(context, state.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));

        app.MapGet("/v2/models/{name}", context => ModelMetadataAsync(context, null));
        app.MapGet("/v2/models/{name}/versions/{version}", context => ModelMetadataAsync(context, Version(context)));
        app.MapGet("/v2/models/{name}/ready", context => ModelReadyAsync(context, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", context => ModelReadyAsync(context, Version(context)));
        app.MapPost("/v2/models/{name}/infer", context => infer.HandleAsync(context, Name(context), null));
        app.MapPost("/v2/models/{name}/versions/{version}/infer", context => infer.HandleAsync(context, Name(context), Version(context)));
        app.MapFallback(context => ErrorResponse.WriteAsync(context.Response, StatusCodes.Status404NotFound, $"no such endpoint: {context.Request.Method} {context.Request.Path}"));

        Task ModelMetadataAsync(HttpContext context, string? version) => ForServedModelAsync(context, version, () => WriteJsonAsync(context.Response, documents.Model));

        Task ModelReadyAsync(HttpContext context, string? version) => ForServedModelAsync(context, version,
            () => StatusAsync(context, state.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));

        Task ForServedModelAsync(HttpContext context, string? version, Func<Task> then)
        {
            try
            {
                ModelRoutes.EnsureServed(scheduler.Metadata, Name(context), version);
            }
            catch (InferenceError error)
            {
                return ErrorResponse.WriteAsync(context.Response, error.StatusCode, error.Message);
            }
            return then();
        }
    }

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;
    private static string Version(HttpContext context) => (string)context.Request.RouteValues["version"]!;

    private static Task StatusAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static Task WriteJsonAsync(HttpResponse response, byte[] body)
    {
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length);
    }
}
