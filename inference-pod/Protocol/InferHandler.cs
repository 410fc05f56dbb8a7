using System.Globalization;
using Platform.Contracts;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/infer</c>, an adapter over the pipeline:
/// read and decode the body (JSON or the binary extension), <see cref="InferencePipeline.InferAsync"/>,
/// encode the outputs, or write the refusal.
/// </summary>
public sealed class InferHandler(RestCalls calls)
{
    private readonly InferencePipeline _pipeline = calls.Pipeline;

    public async Task HandleAsync(HttpContext context, string model, string? version)
    {
        var call = calls.Create(context, model, version);
        using var request = new InferenceRequest();
        int status;
        try
        {
            var outputs = await _pipeline.InferAsync(request, call, async (r, _) =>
            {
                var (body, length) = await calls.ReadBodyAsync(context, call);
                r.Adopt(body);
                RequestDecoder.Decode(body.AsMemory(0, length), JsonLength(context.Request, length), _pipeline.Metadata, _pipeline.MaxBatchSize, _pipeline.PriorityLevels, r);
            });
            try
            {
                calls.WriteQuotaHeaders(context, call);
                await ResponseEncoder.WriteAsync(context.Response, _pipeline.Metadata, request, outputs, context.RequestAborted);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
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

    /// <summary>The JSON part's length: the binary extension's header, or the whole body.</summary>
    internal static int JsonLength(HttpRequest request, int bodyLength)
    {
        if (!request.Headers.TryGetValue(InferenceProtocol.InferenceHeaderContentLength, out var values)) return bodyLength;
        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw InferenceError.BadRequest($"header {InferenceProtocol.InferenceHeaderContentLength} must be one non-negative integer");
        if (length > bodyLength)
            throw InferenceError.BadRequest($"header {InferenceProtocol.InferenceHeaderContentLength} is {length} but the body has only {bodyLength} bytes");
        return length;
    }
}
