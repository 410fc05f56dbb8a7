using System.Globalization;
using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/classify[?top_k=k]</c>: read the image(s),
/// decode and preprocess them on the decode pool, run the tensor through the cache and the
/// scheduler like any inference request (admission, batching, deadlines), rank the output.
/// </summary>
public sealed class ClassifyHandler(
    InferenceScheduler scheduler,
    CachedInference inference,
    Refusal refusal,
    PodState state,
    PodMetricSet metrics,
    PodOptions options,
    TimeProvider time,
    ImageClassifier? classifier = null)
{
    public async Task HandleAsync(HttpContext context, string model, string? version)
    {
        var arrival = time.GetTimestamp();
        var aborted = context.RequestAborted;
        using var request = new InferenceRequest();
        int status;
        try
        {
            ModelRoutes.EnsureServed(scheduler.Metadata, model, version);
            if (classifier is null)
                throw InferenceError.NotFound($"model '{model}' does not classify images: it is served without {PodSettings.PreprocessingSection} and {PodSettings.PostprocessingSection} settings; send tensors to /infer");
            AcceptanceCheck.EnsureAccepting(state, model);
            var topK = TopKOf(context.Request.Query, classifier.Head);
            var kind = ImageBodyKinds.Of(context.Request, out var mediaType);
            var (body, length) = await RequestBody.ReadAsync(context.Request, options.Server.MaxRequestBodyBytes, aborted);
            request.Adopt(body);
            var images = kind switch
            {
                ImageBodyKind.Raw => [body.AsMemory(0, length)],
                ImageBodyKind.Multipart => [await MultipartImageReader.ReadAsync(mediaType!, body, length, request)],
                ImageBodyKind.V2Json => BytesInputReader.Read(body.AsMemory(0, length), length, scheduler.MaxBatchSize, scheduler.Queue.PriorityLevels, request),
                _ => BytesInputReader.Read(body.AsMemory(0, length), InferHandler.JsonLength(context.Request, length), scheduler.MaxBatchSize, scheduler.Queue.PriorityLevels, request),
            };
            await classifier.FillAsync(images, request, aborted);
            // Only the scores are computed for the answer, so only they are cached.
            request.Outputs = [new RequestedOutput(classifier.Head.OutputIndex, Binary: false)];
            var outputs = await inference.RunAsync(request, arrival, CacheDirectives.From(context.Request.Headers), aborted);
            Prediction[][] results;
            try
            {
                results = classifier.Head.Rank(outputs[classifier.Head.OutputIndex], request.Rows, topK);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
            await ClassifyResponse.WriteAsync(context.Response, scheduler.Metadata, request.Id, results, aborted);
            status = StatusCodes.Status200OK;
        }
        catch (Exception e)
        {
            status = await refusal.WriteAsync(context, refusal.From(e, aborted));
        }
        metrics.CountResponse(status);
        if (status == StatusCodes.Status200OK) metrics.RequestDuration.Observe(time.GetElapsedTime(arrival).TotalSeconds);
    }

    private static int TopKOf(IQueryCollection query, ClassificationHead head)
    {
        if (!query.TryGetValue(InferenceProtocol.TopKParameter, out var values)) return head.DefaultTopK;
        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || k > head.Classes)
            throw InferenceError.BadRequest($"query parameter {InferenceProtocol.TopKParameter} must be one integer from 1 to {head.Classes} (got '{values}')");
        return k;
    }
}
