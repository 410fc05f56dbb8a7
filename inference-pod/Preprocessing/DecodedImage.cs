namespace Platform.InferencePod.Preprocessing;

/// <summary>An image decoded to 8-bit RGB, 3 bytes per pixel, row after row.</summary>
public sealed record DecodedImage(int Width, int Height, byte[] Rgb);
