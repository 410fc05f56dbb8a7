using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Jobs;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/jobs</c> (the infer body; 202 with the job's
/// id, status URL and Location), <c>GET /v2/jobs/{id}</c> (its status, and result or error once
/// finished), <c>DELETE /v2/jobs/{id}</c> (cancels a job still queued, or a job run in several
/// batches before its next one).
/// </summary>
public sealed class JobsHandler(RestCalls calls, PodOptions options, JobService? jobs = null)
{
    private readonly InferencePipeline _pipeline = calls.Pipeline;

    public async Task SubmitAsync(HttpContext context, string model, string? version)
    {
        CallContext? call = null;
        int status;
        try
        {
            var service = Enabled();
            // A draining or cold pod answers 503 (retry on another replica) before its job table is consulted.
            _pipeline.EnsureAccepting(model);
            var job = service.Open();
            // The job outlives this request: its client leaving does not cancel it, and it waits
            // up to the jobs' queue timeout instead of the interactive default.
            call = calls.Create(context, model, version, service.QueueTimeout, observer: job, detached: true);
            await service.SubmitAsync(job, new InferenceRequest(), call, async (r, _) =>
            {
                var (body, length) = await calls.ReadBodyAsync(context, call);
                r.Adopt(body);
                RequestDecoder.Decode(body.AsMemory(0, length), InferHandler.JsonLength(context.Request, length), _pipeline.Metadata, service.MaxRows, _pipeline.PriorityLevels, r);
                if (r.BinaryOutputs || r.Outputs?.Any(o => o.Binary) == true)
                    throw InferenceError.BadRequest($"a job's result is JSON: {InferenceProtocol.BinaryDataOutputParameter} and {InferenceProtocol.BinaryDataParameter} are not supported for jobs");
                job.TotalRows = r.Rows;
                job.Chunks = (r.Rows + _pipeline.MaxBatchSize - 1) / _pipeline.MaxBatchSize;
            });
            var document = service.Document(job);
            calls.WriteQuotaHeaders(context, call);
            context.Response.Headers.Location = InferenceProtocol.JobPath(job.Id);
            await WriteJsonAsync(context.Response, StatusCodes.Status202Accepted, document);
            status = StatusCodes.Status202Accepted;
        }
        catch (InferenceError error)
        {
            // Refusals before the pipeline (jobs disabled, too many jobs) are counted here; the pipeline counted its own.
            if (call is null) _pipeline.Refused(error);
            status = await calls.RefuseAsync(context, call, error);
        }
        catch (Exception e)
        {
            status = call is null ? await calls.RefuseAsync(context, null, new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}"))
                : await calls.FailAsync(context, call, e);
        }
        _pipeline.CountResponse(status);
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        try
        {
            var service = Enabled();
            var document = JobId.IsWellFormed(id) ? await service.FindAsync(id) : null;
            await WriteJsonAsync(context.Response, StatusCodes.Status200OK, document ?? throw NoSuchJob(id, service));
        }
        catch (Exception e)
        {
            await calls.RefuseAsync(context, null, e as InferenceError ?? new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}"));
        }
    }

    public async Task CancelAsync(HttpContext context, string id)
    {
        try
        {
            var service = Enabled();
            var result = JobId.IsWellFormed(id) ? await service.CancelAsync(id) : null;
            if (result is not { } found) throw NoSuchJob(id, service);
            if (!found.Cancelled)
            {
                var current = JobDocument.StatusOf(found.Document);
                throw new InferenceError(StatusCodes.Status409Conflict, current switch
                {
                    JobStatus.Running => $"job '{id}' is already running and cannot be cancelled",
                    JobStatus.Queued => $"job '{id}' is queued on another replica; only the replica that accepted it can cancel it",
                    { } finished => $"job '{id}' has already finished ({finished.ToProtocolName()})",
                    null => $"job '{id}' cannot be cancelled",
                });
            }
            await WriteJsonAsync(context.Response, StatusCodes.Status200OK, found.Document);
        }
        catch (Exception e)
        {
            await calls.RefuseAsync(context, null, e as InferenceError ?? new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}"));
        }
    }

    private JobService Enabled() => jobs ?? throw InferenceError.NotFound($"asynchronous jobs are disabled on this server ({PodSettings.JobsEnabled})");

    private InferenceError NoSuchJob(string id, JobService service) => InferenceError.NotFound(service.SharesJobs
        ? $"no job '{id}': it never existed or its result expired (results are kept {options.Jobs.ResultTtlSeconds} s)"
        : $"no job '{id}' on this server: it never existed, its result expired (results are kept {options.Jobs.ResultTtlSeconds} s), or another replica accepted it (without a shared job store, ask the replica that answered the POST)");

    private static async Task WriteJsonAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }
}
