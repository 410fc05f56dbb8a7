using Platform.Contracts;
using Platform.InferencePod.Inference;
using StbImageSharp;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Decodes one PNG or JPEG to RGB with StbImageSharp. The header's width × height is checked
/// against the pixel limit before any pixel is decoded, so a small file that claims a huge
/// image costs nothing. Every refusal is a 4xx that says what is wrong.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Reads the image's header: its format and size. Throws 400 (not an image) or 413 (too many pixels).</summary>
    public static (ImageFormat Format, int Width, int Height) ReadHeader(ReadOnlyMemory<byte> data, long maxPixels, string what)
    {
        var format = ImageFormats.Detect(data.Span)
            ?? throw InferenceError.BadRequest($"{what} is not a PNG or JPEG image (its first bytes are neither signature)");
        if (format == ImageFormat.Jpeg && JpegStructure.FindProblem(data.Span) is { } problem)
            throw InferenceError.BadRequest($"{what} has a corrupt JPEG header: {problem}");
        ImageInfo? info;
        try
        {
            using var stream = Open(data);
            info = ImageInfo.FromStream(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw InferenceError.BadRequest($"{what} has a corrupt {Name(format)} header{Reason(e)}");
        }
        if (info is not { Width: > 0, Height: > 0 } header)
            throw InferenceError.BadRequest($"{what} has a corrupt {Name(format)} header: no image size could be read");
        if ((long)header.Width * header.Height > maxPixels)
        {
            throw new InferenceError(StatusCodes.Status413PayloadTooLarge,
                $"{what} is {header.Width}x{header.Height} = {(long)header.Width * header.Height} pixels, above the limit of {maxPixels} ({PodSettings.PreprocessingMaxPixels})",
                PodMetrics.Reasons.BadRequest);
        }
        return (format, header.Width, header.Height);
    }

    /// <summary>Checks the header, then decodes. Throws 400 for a corrupt image, 413 for one over the pixel limit.</summary>
    public static DecodedImage Decode(ReadOnlyMemory<byte> data, long maxPixels, string what)
    {
        var (format, width, height) = ReadHeader(data, maxPixels, what);
        ImageResult result;
        try
        {
            using var stream = Open(data);
            result = ImageResult.FromStream(stream, ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw InferenceError.BadRequest($"{what} is a corrupt {Name(format)} image{Reason(e)}");
        }
        if (result is null || result.Width != width || result.Height != height || result.Data is null || result.Data.Length < (long)width * height * 3)
            throw InferenceError.BadRequest($"{what} is a corrupt {Name(format)} image: the decoded pixels do not match its {width}x{height} header");
        return new DecodedImage(width, height, result.Data);
    }

    private static string Name(ImageFormat format) => format == ImageFormat.Png ? "PNG" : "JPEG";

    /// <summary>The decoder's reason, when it is readable text (some of its messages are not).</summary>
    private static string Reason(Exception e)
    {
        var message = e.Message.Trim();
        return message.Length is > 0 and <= 200 && message.All(c => c is >= ' ' and <= '~') ? $": {message}" : "";
    }

    private static MemoryStream Open(ReadOnlyMemory<byte> data)
    {
        if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment))
            segment = new ArraySegment<byte>(data.ToArray());
        return new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
    }
}
