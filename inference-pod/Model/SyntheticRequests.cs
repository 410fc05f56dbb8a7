using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Model;

/// <summary>Inputs of the model's declared shapes for warm-up runs: dynamic dimensions become 1.</summary>
public static class SyntheticRequests
{
    /// <summary>A batch of <paramref name="rows"/> one-row requests (one request for a model without a batch axis).</summary>
    public static List<InferenceRequest> Batch(ModelMetadata metadata, int rows)
    {
        var count = metadata.SupportsBatching ? rows : 1;
        var batch = new List<InferenceRequest>(count);
        for (var i = 0; i < count; i++)
        {
            batch.Add(Request(metadata, seed: i));
        }
        return batch;
    }

    public static InferenceRequest Request(ModelMetadata metadata, int seed)
    {
        var random = new Random(seed);
        var request = new InferenceRequest();
        var inputs = new RequestTensor[metadata.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var spec = metadata.Inputs[i];
            var shape = spec.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            var elements = shape.Aggregate(1L, (a, b) => a * b);
            var data = new byte[elements * spec.DataType.ElementSize()];
            // Random floats exercise real arithmetic; integer inputs stay zero, a valid index for embedding-style inputs.
            if (spec.DataType == TensorDataType.Fp32)
            {
                var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan());
                for (var e = 0; e < floats.Length; e++) floats[e] = (float)random.NextDouble();
            }
            inputs[i] = new RequestTensor(spec.Name, spec.DataType, shape, data);
        }
        request.Inputs = inputs;
        return request;
    }
}
