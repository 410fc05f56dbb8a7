using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Jobs;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/jobs</c> (the infer body; 202 with the job's
/// id, status URL and Location), <c>GET /v2/jobs/{id}</c> (its status, and result or error once
/// finished), <c>DELETE /v2/jobs/{id}</c> (cancels a job still queued, or a job run in several
/// batches before its next one).
/// </summary>
public sealed class JobsHandler(
    InferenceScheduler scheduler,
    Refusal refusal,
    PodState state,
    PodMetricSet metrics,
    PodOptions options,
    TimeProvider time,
    JobService? jobs = null)
{
    public async Task SubmitAsync(HttpContext context, string model, string? version)
    {
        var arrival = time.GetTimestamp();
        var aborted = context.RequestAborted;
        var request = new InferenceRequest();
        var handedOver = false;
        int status;
        try
        {
            ModelRoutes.EnsureServed(scheduler.Metadata, model, version);
            var service = Enabled();
            AcceptanceCheck.EnsureAccepting(state, model);
            var (body, length) = await RequestBody.ReadAsync(context.Request, options.Server.MaxRequestBodyBytes, aborted);
            request.Adopt(body);
            RequestDecoder.Decode(body.AsMemory(0, length), InferHandler.JsonLength(context.Request, length), scheduler.Metadata, service.MaxRows, scheduler.Queue.PriorityLevels, request);
            if (request.BinaryOutputs || request.Outputs?.Any(o => o.Binary) == true)
                throw InferenceError.BadRequest($"a job's result is JSON: {InferenceProtocol.BinaryDataOutputParameter} and {InferenceProtocol.BinaryDataParameter} are not supported for jobs");
            var job = await service.SubmitAsync(request, arrival, CacheDirectives.From(context.Request.Headers), aborted);
            handedOver = true;
            var document = service.Document(job);
            context.Response.Headers.Location = InferenceProtocol.JobPath(job.Id);
            await WriteJsonAsync(context.Response, StatusCodes.Status202Accepted, document);
            status = StatusCodes.Status202Accepted;
        }
        catch (Exception e)
        {
            status = await refusal.WriteAsync(context, refusal.From(e, aborted));
        }
        finally
        {
            if (!handedOver) request.Dispose();
        }
        metrics.CountResponse(status);
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
            await refusal.WriteAsync(context, refusal.From(e, context.RequestAborted), countRejection: false);
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
            await refusal.WriteAsync(context, refusal.From(e, context.RequestAborted), countRejection: false);
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
