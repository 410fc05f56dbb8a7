using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Pipeline;

/// <summary>
/// Splits a job larger than one batch along the batch axis into requests of at most the batch
/// size, each a view of the job's own buffers (the job's request keeps ownership). Every tensor
/// type the pod accepts has a fixed size per element, so rows are equal slices of the data.
/// </summary>
public static class RequestChunks
{
    public static InferenceRequest[] Split(InferenceRequest request, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        if (request.Rows <= maxRows) return [request];
        var chunks = new InferenceRequest[(request.Rows + maxRows - 1) / maxRows];
        for (var c = 0; c < chunks.Length; c++)
        {
            var first = c * maxRows;
            var rows = Math.Min(maxRows, request.Rows - first);
            chunks[c] = new InferenceRequest
            {
                Id = request.Id,
                Outputs = request.Outputs,
                BinaryOutputs = request.BinaryOutputs,
                Priority = request.Priority,
                TimeoutMicroseconds = request.TimeoutMicroseconds,
                Rows = rows,
                Inputs = [.. request.Inputs.Select(input => Slice(input, request.Rows, first, rows))],
            };
        }
        return chunks;
    }

    private static RequestTensor Slice(RequestTensor input, int totalRows, int first, int rows)
    {
        var rowBytes = input.Data.Length / totalRows;
        var shape = (long[])input.Shape.Clone();
        shape[0] = rows;
        return new RequestTensor(input.Name, input.DataType, shape, input.Data.Slice(first * rowBytes, rows * rowBytes));
    }
}
