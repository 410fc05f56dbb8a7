using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// The preprocessing settings resolved against the loaded model: which input, the crop size,
/// the resize target, layout, normalisation and datatype. Resolving refuses every combination
/// the model cannot take, naming the setting.
/// </summary>
public sealed record ImagePipeline(
    string InputName,
    int Height,
    int Width,
    int ResizeShorterSide,
    ImageLayout Layout,
    bool Bgr,
    float Scale,
    float[] Mean,
    float[] Std,
    TensorDataType DataType,
    long MaxPixels)
{
    public const int Channels = 3;

    /// <summary>Bytes of one preprocessed image: one row of the input tensor.</summary>
    public int RowBytes => Channels * Height * Width * DataType.ElementSize();

    /// <summary>The tensor shape of <paramref name="rows"/> images.</summary>
    public long[] Shape(int rows) => Layout == ImageLayout.Nchw ? [rows, Channels, Height, Width] : [rows, Height, Width, Channels];

    public static ImagePipeline Resolve(PreprocessingOptions options, ModelMetadata model)
    {
        if (model.Inputs.Count != 1)
            throw Invalid($"{PodSettings.PreprocessingEnabled}: the model has {model.Inputs.Count} inputs ({string.Join(", ", model.InputNames)}) but an image fills exactly one");
        var input = model.Inputs[0];
        if (!string.IsNullOrEmpty(options.Input) && options.Input != input.Name)
            throw Invalid($"{PodSettings.PreprocessingInput} '{options.Input}' is not an input of the model (its input: {input.Name})");
        var layout = options.Layout == PodSettings.ImageLayouts.Nhwc ? ImageLayout.Nhwc : ImageLayout.Nchw;
        var shape = input.Shape;
        if (shape.Length != 4)
            throw Invalid($"{PodSettings.PreprocessingEnabled}: input '{input.Name}' has shape {Format(shape)}; an image input has 4 dimensions ({options.Layout})");
        if (shape[0] > 1)
            throw Invalid($"{PodSettings.PreprocessingEnabled}: input '{input.Name}' has a fixed batch of {shape[0]}; an image input takes a dynamic batch or 1");
        var (channelAxis, heightAxis, widthAxis) = layout == ImageLayout.Nchw ? (1, 2, 3) : (3, 1, 2);
        if (shape[channelAxis] != Channels && shape[channelAxis] != -1)
            throw Invalid($"{PodSettings.PreprocessingLayout} is {options.Layout} but input '{input.Name}' with shape {Format(shape)} has {shape[channelAxis]} channels there, not {Channels}");
        var height = Side(options.Height, shape[heightAxis], PodSettings.PreprocessingHeight, "height", input.Name, shape);
        var width = Side(options.Width, shape[widthAxis], PodSettings.PreprocessingWidth, "width", input.Name, shape);
        var resize = options.ResizeShorterSide > 0 ? options.ResizeShorterSide : (int)Math.Ceiling(Math.Max(height, width) / 0.875);
        if (resize < Math.Max(height, width))
            throw Invalid($"{PodSettings.PreprocessingResizeShorterSide} {resize} is smaller than the crop {height}x{width}; it must be at least {Math.Max(height, width)}");
        if (input.DataType is not (TensorDataType.Fp32 or TensorDataType.Fp16 or TensorDataType.UInt8))
            throw Invalid($"{PodSettings.PreprocessingEnabled}: input '{input.Name}' is {input.DataType.ToProtocolName()}; images fill FP32, FP16 or UINT8 inputs");
        if (!string.IsNullOrEmpty(options.DataType) && options.DataType != input.DataType.ToProtocolName())
            throw Invalid($"{PodSettings.PreprocessingDataType} is {options.DataType} but input '{input.Name}' is {input.DataType.ToProtocolName()}");
        PreprocessingOptions.TryParseTriple(options.Mean, out var mean);
        PreprocessingOptions.TryParseTriple(options.Std, out var std);
        return new ImagePipeline(input.Name, height, width, resize, layout, options.ChannelOrder == PodSettings.ChannelOrders.Bgr,
            (float)options.Scale, mean, std, input.DataType, options.MaxPixels);
    }

    private static int Side(int configured, long modelDim, string key, string what, string input, long[] shape)
    {
        if (configured > 0)
        {
            if (modelDim >= 0 && modelDim != configured)
                throw Invalid($"{key} is {configured} but input '{input}' with shape {Format(shape)} has a {what} of {modelDim}");
            return configured;
        }
        if (modelDim <= 0) throw Invalid($"{key} is required: input '{input}' with shape {Format(shape)} has a dynamic {what}");
        return (int)modelDim;
    }

    private static string Format(long[] shape) => "[" + string.Join(',', shape) + "]";

    private static StartupException Invalid(string message) => new("invalid configuration: " + message);
}
