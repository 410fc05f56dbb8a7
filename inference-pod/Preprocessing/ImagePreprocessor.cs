using System.Runtime.InteropServices;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Turns decoded RGB pixels into one row of the model's input tensor, in one pass:
/// <list type="number">
/// <item>Resize so the shorter side is S (the longer side becomes round(long × S / short)),</item>
/// <item>center-crop H × W (offsets floor((resized − crop) / 2)),</item>
/// <item>sample each crop pixel bilinearly from the source with half-pixel centers
/// (source = (resized + 0.5) × source size / resized size − 0.5, clamped to the image),</item>
/// <item>value = (pixel × scale − mean[c]) / std[c] per output channel c (RGB or BGR order), or
/// for UINT8 the pixel rounded to the nearest integer,</item>
/// <item>write NCHW (channel planes) or NHWC (interleaved).</item>
/// </list>
/// The resized image is never materialised: each crop pixel maps straight to the source.
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>Size of the image after the shorter side is resized to <paramref name="shorterSide"/>.</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int shorterSide)
    {
        if (width <= height) return (shorterSide, Math.Max(shorterSide, RoundHalfUp((double)height * shorterSide / width)));
        return (Math.Max(shorterSide, RoundHalfUp((double)width * shorterSide / height)), shorterSide);
    }

    /// <summary>Writes one image as one tensor row into <paramref name="destination"/> (<see cref="ImagePipeline.RowBytes"/> bytes).</summary>
    /// <param name="rgb">Pixels, 3 bytes each (R, G, B), row after row.</param>
    public static void Write(ReadOnlySpan<byte> rgb, int width, int height, ImagePipeline pipeline, Span<byte> destination)
    {
        if (rgb.Length < width * height * ImagePipeline.Channels) throw new ArgumentException("fewer pixels than width × height", nameof(rgb));
        if (destination.Length < pipeline.RowBytes) throw new ArgumentException("destination is smaller than one tensor row", nameof(destination));
        var (resizedWidth, resizedHeight) = ResizedSize(width, height, pipeline.ResizeShorterSide);
        var left = (resizedWidth - pipeline.Width) / 2;
        var top = (resizedHeight - pipeline.Height) / 2;
        var columns = Taps(pipeline.Width, left, width, resizedWidth);
        var rows = Taps(pipeline.Height, top, height, resizedHeight);

        // Per output channel: which source channel feeds it, and the affine map value = pixel × a + b.
        Span<int> source = stackalloc int[ImagePipeline.Channels];
        Span<float> a = stackalloc float[ImagePipeline.Channels];
        Span<float> b = stackalloc float[ImagePipeline.Channels];
        for (var c = 0; c < ImagePipeline.Channels; c++)
        {
            source[c] = pipeline.Bgr ? ImagePipeline.Channels - 1 - c : c;
            a[c] = pipeline.Scale / pipeline.Std[c];
            b[c] = -pipeline.Mean[c] / pipeline.Std[c];
        }

        var plane = pipeline.Height * pipeline.Width;
        for (var y = 0; y < pipeline.Height; y++)
        {
            var (y0, y1, fy) = rows[y];
            var row0 = rgb.Slice(y0 * width * 3, width * 3);
            var row1 = rgb.Slice(y1 * width * 3, width * 3);
            for (var x = 0; x < pipeline.Width; x++)
            {
                var (x0, x1, fx) = columns[x];
                for (var c = 0; c < ImagePipeline.Channels; c++)
                {
                    var s = source[c];
                    var topValue = row0[x0 * 3 + s] + fx * (row0[x1 * 3 + s] - row0[x0 * 3 + s]);
                    var bottomValue = row1[x0 * 3 + s] + fx * (row1[x1 * 3 + s] - row1[x0 * 3 + s]);
                    var pixel = topValue + fy * (bottomValue - topValue);
                    var index = pipeline.Layout == ImageLayout.Nchw ? c * plane + y * pipeline.Width + x : (y * pipeline.Width + x) * 3 + c;
                    WriteElement(destination, index, pipeline.DataType, pixel, a[c], b[c]);
                }
            }
        }
    }

    private static void WriteElement(Span<byte> destination, int index, TensorDataType type, float pixel, float a, float b)
    {
        switch (type)
        {
            case TensorDataType.Fp32:
                MemoryMarshal.Cast<byte, float>(destination)[index] = pixel * a + b;
                break;
            case TensorDataType.Fp16:
                MemoryMarshal.Cast<byte, Half>(destination)[index] = (Half)(pixel * a + b);
                break;
            case TensorDataType.UInt8:
                destination[index] = (byte)Math.Clamp(MathF.Floor(pixel + 0.5f), 0, 255);
                break;
            default:
                throw new NotSupportedException($"images cannot fill a {type.ToProtocolName()} tensor");
        }
    }

    /// <summary>For each output coordinate: the two source coordinates around it and the weight of the second.</summary>
    private static (int Low, int High, float Fraction)[] Taps(int outputSize, int offset, int sourceSize, int resizedSize)
    {
        var taps = new (int, int, float)[outputSize];
        var ratio = (double)sourceSize / resizedSize;
        for (var i = 0; i < outputSize; i++)
        {
            var position = Math.Clamp((i + offset + 0.5) * ratio - 0.5, 0, sourceSize - 1);
            var low = (int)Math.Floor(position);
            var high = Math.Min(low + 1, sourceSize - 1);
            taps[i] = (low, high, (float)(position - low));
        }
        return taps;
    }

    private static int RoundHalfUp(double value) => (int)Math.Floor(value + 0.5);
}
