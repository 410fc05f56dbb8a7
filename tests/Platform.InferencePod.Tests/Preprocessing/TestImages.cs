using StbImageWriteSharp;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>Small generated images: smooth gradients with a little seeded noise, encoded as PNG or JPEG.</summary>
public static class TestImages
{
    /// <summary>RGB pixels, 3 bytes each, row after row.</summary>
    public static byte[] Pixels(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        var phase = random.Next(256);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                pixels[i] = (byte)((x * 255 / Math.Max(1, width - 1) + phase) % 256);
                pixels[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                pixels[i + 2] = (byte)Math.Clamp(128 + random.Next(-40, 41), 0, 255);
            }
        }
        return pixels;
    }

    public static byte[] Png(int width, int height, int seed) => Png(Pixels(width, height, seed), width, height);

    public static byte[] Png(byte[] rgb, int width, int height)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(rgb, width, height, ColorComponents.RedGreenBlue, stream);
        return stream.ToArray();
    }

    public static byte[] Jpeg(int width, int height, int seed, int quality = 90)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WriteJpg(Pixels(width, height, seed), width, height, ColorComponents.RedGreenBlue, stream, quality);
        return stream.ToArray();
    }

    /// <summary>Decodes with the same library the pod uses, for the pixels of a lossy JPEG.</summary>
    public static (byte[] Rgb, int Width, int Height) Decode(byte[] encoded)
    {
        var image = StbImageSharp.ImageResult.FromMemory(encoded, StbImageSharp.ColorComponents.RedGreenBlue);
        return (image.Data, image.Width, image.Height);
    }
}
