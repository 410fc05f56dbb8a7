using System.Globalization;
using Platform.Contracts;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/classify[?top_k=k]</c>: read the image(s),
/// decode and preprocess them on the decode pool, run the tensor through the cache and the
/// pipeline like any inference request (quotas, admission, batching, deadlines), rank the output.
/// </summary>
public sealed class ClassifyHandler(RestCalls calls, ImageClassifier? classifier = null)
{
    private readonly InferencePipeline _pipeline = calls.Pipeline;

    public async Task HandleAsync(HttpContext context, string model, string? version)
    {
        var call = calls.Create(context, model, version);
        var aborted = context.RequestAborted;
        using var request = new InferenceRequest();
        var topK = 0;
        int status;
        try
        {
            var outputs = await _pipeline.InferAsync(request, call, async (r, _) =>
            {
                if (classifier is null)
                    throw InferenceError.NotFound($"model '{model}' does not classify images: it is served without {PodSettings.PreprocessingSection} and {PodSettings.PostprocessingSection} settings; send tensors to /infer");
                topK = TopKOf(context.Request.Query, classifier.Head);
                var kind = ImageBodyKinds.Of(context.Request, out var mediaType);
                var (body, length) = await calls.ReadBodyAsync(context, call);
                r.Adopt(body);
                var images = kind switch
                {
                    ImageBodyKind.Raw => [body.AsMemory(0, length)],
                    ImageBodyKind.Multipart => [await MultipartImageReader.ReadAsync(mediaType!, body, length, r)],
                    ImageBodyKind.V2Json => BytesInputReader.Read(body.AsMemory(0, length), length, _pipeline.MaxBatchSize, _pipeline.PriorityLevels, r),
                    _ => BytesInputReader.Read(body.AsMemory(0, length), InferHandler.JsonLength(context.Request, length), _pipeline.MaxBatchSize, _pipeline.PriorityLevels, r),
                };
                await classifier.FillAsync(images, r, aborted);
                // Only the scores are computed for the answer, so only they are cached.
                r.Outputs = [new RequestedOutput(classifier.Head.OutputIndex, Binary: false)];
            });
            Prediction[][] results;
            try
            {
                results = classifier!.Head.Rank(outputs[classifier.Head.OutputIndex], request.Rows, topK);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
            calls.WriteQuotaHeaders(context, call);
            await ClassifyResponse.WriteAsync(context.Response, _pipeline.Metadata, request.Id, results, aborted);
            status = StatusCodes.Status200OK;
        }
        catch (InferenceError error)
        {
            status = await calls.RefuseAsync(context, call, error);
        }
        catch (Exception e)
        {
            status = await calls.FailAsync(context, call, e);
        }
        _pipeline.Record(call, status);
    }

    private static int TopKOf(IQueryCollection query, ClassificationHead head)
    {
        if (!query.TryGetValue(InferenceProtocol.TopKParameter, out var values)) return head.DefaultTopK;
        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || k > head.Classes)
            throw InferenceError.BadRequest($"query parameter {InferenceProtocol.TopKParameter} must be one integer from 1 to {head.Classes} (got '{values}')");
        return k;
    }
}
