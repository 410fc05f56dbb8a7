using Platform.Contracts;

namespace Platform.InferencePod.Configuration;

/// <summary>
/// How an image becomes the model's input tensor (section "Preprocessing"): decode PNG or JPEG,
/// resize so the shorter side is <see cref="ResizeShorterSide"/>, center-crop to
/// <see cref="Height"/> × <see cref="Width"/>, scale, normalise per channel, lay out.
/// </summary>
public sealed class PreprocessingOptions
{
    public bool Enabled { get; set; }
    /// <summary>The model input the image tensor feeds; default: the model's only input.</summary>
    public string? Input { get; set; }
    /// <summary>Shorter side after resizing; 0: the crop's longer side / 0.875 (ImageNet's 256 for 224).</summary>
    public int ResizeShorterSide { get; set; }
    /// <summary>Crop height; 0: the model input's height.</summary>
    public int Height { get; set; }
    /// <summary>Crop width; 0: the model input's width.</summary>
    public int Width { get; set; }
    public string Layout { get; set; } = PodSettings.ImageLayouts.Nchw;
    public string ChannelOrder { get; set; } = PodSettings.ChannelOrders.Rgb;
    /// <summary>Multiplies each 0..255 pixel value before normalising.</summary>
    public double Scale { get; set; } = 1.0 / 255;
    /// <summary>Per-channel mean subtracted after scaling, comma-separated, in the order of <see cref="ChannelOrder"/>.</summary>
    public string Mean { get; set; } = "0,0,0";
    /// <summary>Per-channel standard deviation divided by after subtracting the mean, comma-separated.</summary>
    public string Std { get; set; } = "1,1,1";
    /// <summary>The tensor's datatype (FP32, FP16 or UINT8); default: the model input's. Must match it.</summary>
    public string? DataType { get; set; }
    /// <summary>Largest width × height accepted; checked on the image header before decoding (413 above it).</summary>
    public long MaxPixels { get; set; } = 4096L * 4096;
    /// <summary>Threads that decode images, apart from the server's thread pool; 0: half the cores, at least 1.</summary>
    public int DecodeThreads { get; set; }
    /// <summary>Images waiting for a decode thread; beyond it requests get 429.</summary>
    public int MaxQueuedDecodes { get; set; } = 64;
    /// <summary>Longest one image may take to decode and preprocess; beyond it the request gets 400 and the thread is replaced.</summary>
    public double DecodeTimeoutSeconds { get; set; } = 10;

    public TimeSpan DecodeTimeout => TimeSpan.FromSeconds(DecodeTimeoutSeconds);

    public int ResolvedDecodeThreads => DecodeThreads > 0 ? DecodeThreads : Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Parses a comma-separated list of three numbers; false when it is not one.</summary>
    public static bool TryParseTriple(string? text, out float[] values)
    {
        values = [];
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3) return false;
        var parsed = new float[3];
        for (var i = 0; i < 3; i++)
        {
            if (!float.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out parsed[i]) || !float.IsFinite(parsed[i]))
                return false;
        }
        values = parsed;
        return true;
    }
}
