namespace Platform.InferencePod.Model;

/// <summary>What the loaded model declares, resolved once at load.</summary>
public sealed class ModelMetadata
{
    public ModelMetadata(string name, string version, IReadOnlyList<TensorSpec> inputs, IReadOnlyList<TensorSpec> outputs)
    {
        Name = name;
        Version = version;
        Inputs = inputs;
        Outputs = outputs;
        // A model batches only when every input and output has a dynamic axis 0: then the
        // outputs of a stacked run can be split back by rows.
        SupportsBatching = inputs.Count > 0 && inputs.All(i => i.HasDynamicBatchAxis) && outputs.All(o => o.HasDynamicBatchAxis);
        InputNames = inputs.Select(i => i.Name).ToArray();
        OutputNames = outputs.Select(o => o.Name).ToArray();
    }

    public string Name { get; }
    public string Version { get; }
    public IReadOnlyList<TensorSpec> Inputs { get; }
    public IReadOnlyList<TensorSpec> Outputs { get; }
    public bool SupportsBatching { get; }
    public string[] InputNames { get; }
    public string[] OutputNames { get; }

    public int InputIndex(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < InputNames.Length; i++)
        {
            if (name.SequenceEqual(InputNames[i])) return i;
        }
        return -1;
    }

    public int OutputIndex(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < OutputNames.Length; i++)
        {
            if (name.SequenceEqual(OutputNames[i])) return i;
        }
        return -1;
    }
}
