using System.Runtime.InteropServices;
using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// The postprocessing of a classifier, resolved against the model: which output holds the
/// class scores, how many classes, their labels, softmax or not, the default top-k.
/// </summary>
public sealed class ClassificationHead
{
    private ClassificationHead(int outputIndex, int classes, string[]? labels, bool softmax, int defaultTopK)
    {
        OutputIndex = outputIndex;
        Classes = classes;
        Labels = labels;
        Softmax = softmax;
        DefaultTopK = defaultTopK;
    }

    public int OutputIndex { get; }
    public int Classes { get; }
    public string[]? Labels { get; }
    public bool Softmax { get; }
    public int DefaultTopK { get; }

    public static ClassificationHead Resolve(PostprocessingOptions options, ModelMetadata model)
    {
        var index = string.IsNullOrEmpty(options.Output) ? 0 : model.OutputIndex(options.Output);
        if (index < 0 || model.Outputs.Count == 0)
            throw Invalid($"{PodSettings.PostprocessingOutput} '{options.Output}' is not an output of the model (its outputs: {string.Join(", ", model.OutputNames)})");
        var output = model.Outputs[index];
        if (output.DataType is not (TensorDataType.Fp32 or TensorDataType.Fp16 or TensorDataType.Fp64))
            throw Invalid($"{PodSettings.PostprocessingOutput}: output '{output.Name}' is {output.DataType.ToProtocolName()}; class scores must be FP32, FP16 or FP64");
        long classes = 1;
        for (var d = model.SupportsBatching ? 1 : 0; d < output.Shape.Length; d++)
        {
            if (output.Shape[d] < 0)
                throw Invalid($"{PodSettings.PostprocessingOutput}: output '{output.Name}' has shape [{string.Join(',', output.Shape)}]; the number of classes must be fixed");
            classes *= output.Shape[d];
        }
        if (classes is < 1 or > int.MaxValue)
            throw Invalid($"{PodSettings.PostprocessingOutput}: output '{output.Name}' has shape [{string.Join(',', output.Shape)}], which holds no classes");
        if (options.TopK > classes)
            throw Invalid($"{PodSettings.PostprocessingTopK} {options.TopK} is above the {classes} classes of output '{output.Name}'");
        string[]? labels = null;
        if (!string.IsNullOrEmpty(options.LabelsPath))
        {
            labels = ReadLabels(options.LabelsPath);
            if (labels.Length != classes)
                throw Invalid($"{PodSettings.PostprocessingLabelsPath} '{options.LabelsPath}' has {labels.Length} labels but output '{output.Name}' has {classes} classes (one label per line)");
        }
        return new ClassificationHead(index, (int)classes, labels, options.Softmax, options.TopK);
    }

    /// <summary>Ranks each of the output's <paramref name="rows"/> rows: the top <paramref name="k"/> classes with labels and scores.</summary>
    public Prediction[][] Rank(OutputTensor output, int rows, int k)
    {
        var data = output.Data;
        var size = output.DataType.ElementSize();
        if (data.Length != (long)rows * Classes * size)
            throw new InferenceError(StatusCodes.Status500InternalServerError, $"the model's output has {data.Length / size} values, not {rows} rows of {Classes} classes");
        var results = new Prediction[rows][];
        var scores = new double[Classes];
        for (var row = 0; row < rows; row++)
        {
            var slice = data.Slice(row * Classes * size, Classes * size);
            for (var i = 0; i < Classes; i++)
            {
                scores[i] = output.DataType switch
                {
                    TensorDataType.Fp32 => MemoryMarshal.Cast<byte, float>(slice)[i],
                    TensorDataType.Fp16 => (double)MemoryMarshal.Cast<byte, Half>(slice)[i],
                    _ => MemoryMarshal.Cast<byte, double>(slice)[i],
                };
            }
            var ranked = Softmax ? TopK.Softmax(scores) : scores;
            var top = TopK.Select(ranked, k);
            results[row] = new Prediction[top.Length];
            for (var j = 0; j < top.Length; j++)
            {
                var index = top[j];
                results[row][j] = new Prediction(index, Labels?[index] ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture), ranked[index]);
            }
        }
        return results;
    }

    private static string[] ReadLabels(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            // A trailing newline at the end of the file does not make one more class.
            var count = lines.Length;
            while (count > 0 && lines[count - 1].Length == 0) count--;
            return lines[..count].Select(l => l.TrimEnd('\r')).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"{PodSettings.PostprocessingLabelsPath} '{path}' cannot be read: {e.Message}");
        }
    }

    private static StartupException Invalid(string message) => new("invalid configuration: " + message);
}
