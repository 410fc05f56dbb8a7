using Microsoft.ML.OnnxRuntime;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Batching;

/// <summary>
/// Runs a batch and completes every request in it. When the runtime runs out of device memory
/// the batch is split in halves and each half retried, down to single requests; a request that
/// still does not fit alone gets 507 with a message saying so, and the pod keeps serving.
/// Any other failure answers the requests of that run with 500.
/// </summary>
public static class BatchExecutor
{
    public static void Run(IBatchRunner runner, IReadOnlyList<WorkItem> batch, ILogger logger)
    {
        try
        {
            var outputs = runner.Run(new Requests(batch));
            for (var i = 0; i < batch.Count; i++) batch[i].Complete(outputs[i]);
        }
        catch (Exception e) when (IsOutOfDeviceMemory(e))
        {
            var rows = Rows(batch);
            if (batch.Count == 1)
            {
                logger.LogWarning("A request of {Rows} row(s) ran out of memory on its own: {Error}", rows, FirstLine(e.Message));
                batch[0].Fail(new InferenceError(StatusCodes.Status507InsufficientStorage,
                    $"the model ran out of device memory computing this request alone ({rows} row(s)); send fewer rows per request"));
                return;
            }
            logger.LogWarning("A batch of {Requests} requests ({Rows} rows) ran out of memory; retrying it in halves", batch.Count, rows);
            var half = batch.Count / 2;
            Run(runner, Slice(batch, 0, half), logger);
            Run(runner, Slice(batch, half, batch.Count - half), logger);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Model run over a batch of {Rows} rows failed", Rows(batch));
            var error = new InferenceError(StatusCodes.Status500InternalServerError, $"model run failed: {FirstLine(e.Message)}");
            foreach (var item in batch) item.Fail(error);
        }
    }

    /// <summary>
    /// ONNX Runtime's allocation failures: the CUDA provider's "CUDA failure 2: out of memory",
    /// the arenas' "Failed to allocate memory", and cuDNN/cuBLAS allocation statuses.
    /// </summary>
    public static bool IsOutOfDeviceMemory(Exception e) =>
        e is OnnxRuntimeException && (
            e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("CUDA failure 2:", StringComparison.Ordinal)
            || e.Message.Contains("Failed to allocate memory", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("ALLOC_FAILED", StringComparison.Ordinal));

    private static IReadOnlyList<WorkItem> Slice(IReadOnlyList<WorkItem> batch, int start, int count)
    {
        var part = new WorkItem[count];
        for (var i = 0; i < count; i++) part[i] = batch[start + i];
        return part;
    }

    private static int Rows(IReadOnlyList<WorkItem> batch)
    {
        var rows = 0;
        foreach (var item in batch) rows += item.Rows;
        return rows;
    }

    private static string FirstLine(string message) => message.Split('\n')[0];

    /// <summary>The batch's requests, as the runner sees them, without copying the list.</summary>
    private sealed class Requests(IReadOnlyList<WorkItem> items) : IReadOnlyList<InferenceRequest>
    {
        public InferenceRequest this[int index] => items[index].Request;
        public int Count => items.Count;
        public IEnumerator<InferenceRequest> GetEnumerator() => items.Select(i => i.Request).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
