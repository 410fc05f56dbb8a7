using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using ModelMetadata = Platform.InferencePod.Model.ModelMetadata;

namespace Platform.FeatureBench.Inputs;

/// <summary>
/// The baseline: one <see cref="InferenceSession"/> configured as the pod configures its own
/// (ModelLoader: ORT_ENABLE_ALL, sequential, the same intra-op threads and spinning), run on
/// tensors in pinned memory the way the pod's ModelInstance runs a batch of one, outputs copied
/// out to pooled buffers as the pod copies them. Run may be called from several threads at once.
/// </summary>
internal sealed class RawModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public RawModel(string path, int intraOpThreads, bool allowSpinning = true)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        _session = new InferenceSession(path, options);
        Metadata = new ModelMetadata(
            Path.GetFileNameWithoutExtension(path),
            "1",
            _session.InputNames.Select(n => Spec(n, _session.InputMetadata[n])).ToArray(),
            _session.OutputNames.Select(n => Spec(n, _session.OutputMetadata[n])).ToArray());
    }

    /// <summary>The model as the pod describes it (its name is the file's).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Runs once; <paramref name="inputs"/> are pinned arrays (one per model input) holding exactly the tensor's bytes. The caller releases the outputs.</summary>
    public unsafe OutputTensor[] Run(IReadOnlyList<(byte[] Pinned, int Length, long[] Shape)> inputs)
    {
        var values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var (pinned, length, shape) = inputs[i];
                var pointer = (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
                values[i] = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, Metadata.Inputs[i].DataType.ToOnnx(), shape, pointer, length);
            }
            using var results = _session.Run(_runOptions, Metadata.InputNames, values, Metadata.OutputNames);
            var outputs = new OutputTensor[results.Count];
            for (var o = 0; o < results.Count; o++)
            {
                var info = results[o].GetTensorTypeAndShape();
                OnnxTensorTypes.TryFromOnnx(info.ElementDataType, out var type);
                var raw = results[o].GetTensorMutableRawData();
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, raw.Length));
                raw.CopyTo(buffer);
                outputs[o] = new OutputTensor(type, info.Shape, buffer, raw.Length);
            }
            return outputs;
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static TensorSpec Spec(string name, NodeMetadata node)
    {
        if (!node.IsTensor || !OnnxTensorTypes.TryFromOnnx(node.ElementDataType, out var type))
            throw new InvalidOperationException($"'{name}' has type {node.ElementDataType}, which the pod does not serve");
        return new TensorSpec(name, type, node.Dimensions.Select(d => d < 0 ? -1L : d).ToArray());
    }
}
