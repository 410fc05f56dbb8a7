using System.Text.Json.Serialization;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("How the classify endpoint turns a PNG or JPEG image into the model's input tensor: resize so the shorter side is resizeShorterSide, center-crop to height x width, multiply by scale, subtract mean and divide by std per channel, lay out. Set together with postprocessing; with neither, the classify endpoint (/v2/models/<name>/classify) is off. Fields left out take the pod's defaults.")]
public sealed class PreprocessingSpec
{
    private const int MaxImageSide = 16384;

    [JsonPropertyName("input")]
    [Length(1, 256)]
    [Description("The model input the image feeds. When omitted: the model's only input.")]
    public string? Input { get; set; }

    [JsonPropertyName("resizeShorterSide")]
    [Range(1, MaxImageSide)]
    [Description("Shorter side (pixels) after resizing. When omitted: the crop's longer side / 0.875 (256 for a 224 crop).")]
    public int? ResizeShorterSide { get; set; }

    [JsonPropertyName("height")]
    [Range(1, MaxImageSide)]
    [Description("Crop height (pixels). When omitted: the model input's height.")]
    public int? Height { get; set; }

    [JsonPropertyName("width")]
    [Range(1, MaxImageSide)]
    [Description("Crop width (pixels). When omitted: the model input's width.")]
    public int? Width { get; set; }

    [JsonPropertyName("layout")]
    [Description("Tensor layout. Pod default: NCHW.")]
    public ImageLayout? Layout { get; set; }

    [JsonPropertyName("channelOrder")]
    [Description("Channel order of the tensor (and of mean and std). Pod default: RGB.")]
    public ChannelOrder? ChannelOrder { get; set; }

    [JsonPropertyName("scale")]
    [Range(0, 1000000)]
    [CelRule("self > 0.0", "scale must be greater than 0")]
    [Description("Multiplies each 0..255 pixel value before normalising. Pod default: 1/255.")]
    public double? Scale { get; set; }

    [JsonPropertyName("mean")]
    [Items(3, 3)]
    [ItemRange(-1000000, 1000000)]
    [Description("Per-channel mean subtracted after scaling, in channelOrder, e.g. [0.485, 0.456, 0.406]. Pod default: [0, 0, 0].")]
    public IList<double>? Mean { get; set; }

    [JsonPropertyName("std")]
    [Items(3, 3)]
    [ItemRange(0, 1000000)]
    [CelRule("self.all(s, s > 0.0)", "every std entry must be greater than 0")]
    [Description("Per-channel standard deviation divided by after subtracting the mean, e.g. [0.229, 0.224, 0.225]. Pod default: [1, 1, 1].")]
    public IList<double>? Std { get; set; }

    [JsonPropertyName("dataType")]
    [Description("Datatype of the tensor; must be the model input's. When omitted: the model input's.")]
    public ImageDataType? DataType { get; set; }

    [JsonPropertyName("maxPixels")]
    [Range(1, 1073741824)]
    [Description("Largest width x height accepted, checked on the image header before decoding (larger images get 413). Pod default: 16777216 (4096 x 4096).")]
    public long? MaxPixels { get; set; }
}

/// <summary>Layout of an image tensor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageLayout>))]
public enum ImageLayout
{
    [JsonStringEnumMemberName("NCHW")]
    Nchw,

    [JsonStringEnumMemberName("NHWC")]
    Nhwc,
}

/// <summary>Order of the colour channels in an image tensor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelOrder>))]
public enum ChannelOrder
{
    [JsonStringEnumMemberName("RGB")]
    Rgb,

    [JsonStringEnumMemberName("BGR")]
    Bgr,
}

/// <summary>Element type of an image tensor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageDataType>))]
public enum ImageDataType
{
    [JsonStringEnumMemberName("FP32")]
    Fp32,

    [JsonStringEnumMemberName("FP16")]
    Fp16,

    [JsonStringEnumMemberName("UINT8")]
    Uint8,
}
