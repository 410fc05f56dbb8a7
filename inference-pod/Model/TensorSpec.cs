using Platform.InferencePod.Inference;
namespace Platform.InferencePod.Model;

/// <summary>A model input or output as the model declares it; -1 marks a dynamic dimension.</summary>
public sealed record TensorSpec(string Name, TensorDataType DataType, long[] Shape)
{
    /// <summary>True when dimension 0 is dynamic, so requests can be stacked along it.</summary>
    public bool HasDynamicBatchAxis => Shape.Length > 0 && Shape[0] < 0;
}
