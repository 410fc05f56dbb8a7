using System.Buffers;

namespace Platform.InferencePod.Inference;

/// <summary>
/// A decoded inference request: inputs in the model's input order, the outputs to return,
/// scheduling parameters. Owns pooled buffers that hold tensor data until it is disposed.
/// </summary>
public sealed class InferenceRequest : IDisposable
{
    private List<byte[]>? _pooled;

    public string? Id { get; set; }
    public RequestTensor[] Inputs { get; set; } = [];
    /// <summary>Requested outputs; null means all outputs.</summary>
    public RequestedOutput[]? Outputs { get; set; }
    /// <summary>Answer every output in binary form (request parameter binary_data_output).</summary>
    public bool BinaryOutputs { get; set; }
    /// <summary>Priority level, 1 is highest; 0 means the default level.</summary>
    public int Priority { get; set; }
    /// <summary>Deadline asked by the client, microseconds from arrival; 0 means none.</summary>
    public long TimeoutMicroseconds { get; set; }
    /// <summary>Rows along axis 0 (1 for models without a batch axis).</summary>
    public int Rows { get; set; } = 1;

    public byte[] RentBuffer(int minimumLength)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(minimumLength);
        (_pooled ??= []).Add(buffer);
        return buffer;
    }

    /// <summary>Keeps <paramref name="buffer"/> (already rented) alive with the request and returns it to the pool with it.</summary>
    public void Adopt(byte[] buffer) => (_pooled ??= []).Add(buffer);

    public void Dispose()
    {
        if (_pooled is null) return;
        foreach (var buffer in _pooled) ArrayPool<byte>.Shared.Return(buffer);
        _pooled = null;
    }
}
