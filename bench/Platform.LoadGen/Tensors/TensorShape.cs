namespace Platform.LoadGen.Tensors;

/// <summary>Turns a declared shape (-1 = dynamic) into the concrete shape of one request.</summary>
internal static class TensorShape
{
    /// <summary>
    /// Axis 0 is the batch axis: a dynamic one becomes <paramref name="batch"/>, a fixed one must equal it.
    /// Any other dynamic axis is refused, since the generator cannot guess its size.
    /// </summary>
    public static long[] WithBatch(string tensor, IReadOnlyList<long> declared, int batch)
    {
        if (declared.Count == 0)
        {
            return batch == 1
                ? []
                : throw new LoadGenException($"tensor '{tensor}' is a scalar, so it cannot carry a batch of {batch}");
        }
        var shape = declared.ToArray();
        if (shape[0] < 0)
        {
            shape[0] = batch;
        }
        else if (shape[0] != batch)
        {
            throw new LoadGenException($"tensor '{tensor}' has a fixed first dimension of {shape[0]}, so a batch of {batch} cannot be sent");
        }
        for (var axis = 1; axis < shape.Length; axis++)
        {
            if (shape[axis] < 0)
            {
                throw new LoadGenException(
                    $"tensor '{tensor}' has a dynamic dimension at axis {axis} ({Format(declared)}); loadgen sizes only the batch axis");
            }
        }
        return shape;
    }

    public static long ElementCount(IReadOnlyList<long> shape) => shape.Aggregate(1L, (n, d) => checked(n * d));

    public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
}
