using System.Buffers;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Model = Platform.InferencePod.Model;

namespace Platform.InferencePod.Tests.Batching;

/// <summary>
/// A batch runner that echoes each request's input as its output, and fails the runs that
/// <paramref name="failure"/> picks (an out-of-memory from the runtime, for instance).
/// </summary>
public sealed class FakeBatchRunner(Func<int, Exception?>? failure = null) : IBatchRunner
{
    public static readonly Model.ModelMetadata Metadata = new("echo", "1",
        [new TensorSpec("x", TensorDataType.Fp32, [-1, 2])], [new TensorSpec("y", TensorDataType.Fp32, [-1, 2])]);

    private readonly List<int> _runs = [];

    public int Index => 0;

    /// <summary>Rows of every run attempted, failed ones included.</summary>
    public IReadOnlyList<int> Runs
    {
        get { lock (_runs) return [.. _runs]; }
    }

    public OutputTensor[][] Run(IReadOnlyList<InferenceRequest> batch)
    {
        var rows = batch.Sum(b => b.Rows);
        lock (_runs) _runs.Add(rows);
        if (failure?.Invoke(rows) is { } error) throw error;
        return batch.Select(request =>
        {
            var input = request.Inputs[0];
            var buffer = ArrayPool<byte>.Shared.Rent(input.Data.Length);
            input.Data.Span.CopyTo(buffer);
            return new[] { new OutputTensor(input.DataType, input.Shape, buffer, input.Data.Length) };
        }).ToArray();
    }

    /// <summary>A request of <paramref name="rows"/> rows whose values start at <paramref name="first"/>.</summary>
    public static InferenceRequest Request(int rows, float first)
    {
        var values = Enumerable.Range(0, rows * 2).Select(i => first + i).ToArray();
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return new InferenceRequest { Inputs = [new RequestTensor("x", TensorDataType.Fp32, [rows, 2], bytes)], Rows = rows };
    }

    /// <summary>The exception ONNX Runtime's CUDA provider raises when device memory runs out.</summary>
    public static OnnxRuntimeException OutOfMemory()
    {
        // The runtime's exception has no public constructor: it is made the way the runtime makes it.
        var constructor = typeof(OnnxRuntimeException).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance)
            .Single(c => c.GetParameters() is [{ ParameterType.IsEnum: true }, { ParameterType: var text }] && text == typeof(string));
        var code = Enum.Parse(constructor.GetParameters()[0].ParameterType, "RuntimeException");
        return (OnnxRuntimeException)constructor.Invoke([code,
            "[ErrorCode:RuntimeException] Non-zero status code returned while running Conv node. Name:'conv1' Status Message: CUDA failure 2: out of memory ; GPU=0 ; expr=cudaMalloc(&p, size);"]);
    }
}
