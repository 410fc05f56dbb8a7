using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Model;

/// <summary>
/// One ONNX Runtime session and the pinned input buffers it reuses from batch to batch:
/// stacks a batch's requests along axis 0, runs once, and splits the outputs back per request.
/// Used by one batch loop at a time.
/// </summary>
public sealed class ModelInstance : IBatchRunner, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ModelMetadata _metadata;
    private readonly byte[][] _inputBuffers;
    private readonly OrtValue[] _inputValues;

    public ModelInstance(InferenceSession session, ModelMetadata metadata, int index)
    {
        _session = session;
        _metadata = metadata;
        Index = index;
        _inputBuffers = new byte[metadata.Inputs.Count][];
        _inputValues = new OrtValue[metadata.Inputs.Count];
        for (var i = 0; i < _inputBuffers.Length; i++) _inputBuffers[i] = [];
    }

    public int Index { get; }
    public ModelMetadata Metadata => _metadata;

    /// <summary>Runs the batch; returns, per request, its slice of every model output.</summary>
    public OutputTensor[][] Run(IReadOnlyList<InferenceRequest> batch)
    {
        var rows = 0;
        for (var b = 0; b < batch.Count; b++) rows += batch[b].Rows;
        var template = batch[0].Inputs;
        try
        {
            for (var i = 0; i < _inputValues.Length; i++)
            {
                _inputValues[i] = StackInput(i, batch, template[i], rows);
            }
            using var results = _session.Run(_runOptions, _metadata.InputNames, _inputValues, _metadata.OutputNames);
            return Split(results, batch, rows);
        }
        finally
        {
            for (var i = 0; i < _inputValues.Length; i++)
            {
                _inputValues[i]?.Dispose();
                _inputValues[i] = null!;
            }
        }
    }

    private unsafe OrtValue StackInput(int input, IReadOnlyList<InferenceRequest> batch, RequestTensor template, int rows)
    {
        long total = 0;
        for (var b = 0; b < batch.Count; b++) total += batch[b].Inputs[input].Data.Length;
        var buffer = _inputBuffers[input];
        if (buffer.Length < total)
        {
            // Pinned once and grown geometrically: steady state allocates nothing here.
            buffer = GC.AllocateUninitializedArray<byte>((int)Math.Max(total, buffer.Length * 2L), pinned: true);
            _inputBuffers[input] = buffer;
        }
        var offset = 0;
        for (var b = 0; b < batch.Count; b++)
        {
            var data = batch[b].Inputs[input].Data.Span;
            data.CopyTo(buffer.AsSpan(offset));
            offset += data.Length;
        }
        var shape = (long[])template.Shape.Clone();
        if (_metadata.SupportsBatching) shape[0] = rows;
        var pointer = (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, template.DataType.ToOnnx(), shape, pointer, total);
    }

    private OutputTensor[][] Split(IReadOnlyList<OrtValue> results, IReadOnlyList<InferenceRequest> batch, int rows)
    {
        var perItem = new OutputTensor[batch.Count][];
        for (var b = 0; b < batch.Count; b++) perItem[b] = new OutputTensor[results.Count];
        for (var o = 0; o < results.Count; o++)
        {
            var value = results[o];
            var info = value.GetTensorTypeAndShape();
            if (!OnnxTensorTypes.TryFromOnnx(info.ElementDataType, out var dataType))
                throw new InvalidOperationException($"output '{_metadata.OutputNames[o]}' has element type {info.ElementDataType}, which the pod cannot return");
            var shape = info.Shape;
            var raw = value.GetTensorMutableRawData();
            if (batch.Count == 1)
            {
                perItem[0][o] = Copy(dataType, shape, raw);
                continue;
            }
            if (shape.Length == 0 || shape[0] != rows)
                throw new InvalidOperationException($"output '{_metadata.OutputNames[o]}' has {(shape.Length == 0 ? 0 : shape[0])} rows for a batch of {rows}");
            var bytesPerRow = raw.Length / rows;
            var offset = 0;
            for (var b = 0; b < batch.Count; b++)
            {
                var itemRows = batch[b].Rows;
                var itemShape = (long[])shape.Clone();
                itemShape[0] = itemRows;
                perItem[b][o] = Copy(dataType, itemShape, raw.Slice(offset, itemRows * bytesPerRow));
                offset += itemRows * bytesPerRow;
            }
        }
        return perItem;
    }

    private static OutputTensor Copy(TensorDataType dataType, long[] shape, ReadOnlySpan<byte> data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(buffer);
        return new OutputTensor(dataType, shape, buffer, data.Length);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
