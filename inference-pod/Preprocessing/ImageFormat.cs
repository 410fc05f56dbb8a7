namespace Platform.InferencePod.Preprocessing;

/// <summary>The image formats the pod decodes, told apart by their first bytes (not by what the client says).</summary>
public enum ImageFormat { Png, Jpeg }

public static class ImageFormats
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    public static ImageFormat? Detect(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature)) return ImageFormat.Png;
        if (data.StartsWith(JpegSignature)) return ImageFormat.Jpeg;
        return null;
    }
}
