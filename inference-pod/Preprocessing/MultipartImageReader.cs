using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Finds the image in a multipart/form-data body: the first part that carries a file name, or
/// is named "image" or "file", or declares an image content type. A truncated or malformed body
/// is a 400 that says so.
/// </summary>
public static class MultipartImageReader
{
    private const int MaxBoundaryLength = 70;
    private const int MaxParts = 32;

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(MediaTypeHeaderValue mediaType, byte[] body, int length, InferenceRequest request)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
            throw InferenceError.BadRequest("multipart/form-data needs a boundary parameter in its Content-Type");
        if (boundary.Length > MaxBoundaryLength)
            throw InferenceError.BadRequest($"the multipart boundary is longer than {MaxBoundaryLength} characters");
        var reader = new MultipartReader(boundary, new MemoryStream(body, 0, length, writable: false)) { BodyLengthLimit = length };
        try
        {
            for (var parts = 0; parts < MaxParts; parts++)
            {
                var section = await reader.ReadNextSectionAsync();
                if (section is null) break;
                if (!IsImagePart(section)) continue;
                var type = section.ContentType;
                if (type is not null && MediaTypeHeaderValue.TryParse(type, out var partType) && partType.MediaType.Value is { } value
                    && !value.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                    && !value.Equals(Contracts.InferenceProtocol.BinaryContentType, StringComparison.OrdinalIgnoreCase))
                {
                    throw ImageBodyKinds.UnsupportedMediaType($"the multipart file part has Content-Type '{value}'; send a PNG or JPEG image");
                }
                // The part's bytes lie inside the body already read; copy them once into a buffer the request owns.
                var buffer = request.RentBuffer((int)Math.Max(1, Math.Min(length, int.MaxValue)));
                var read = 0;
                while (true)
                {
                    var n = await section.Body.ReadAsync(buffer.AsMemory(read));
                    if (n == 0) break;
                    read += n;
                }
                if (read == 0) throw InferenceError.BadRequest("the multipart file part is empty");
                return buffer.AsMemory(0, read);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw InferenceError.BadRequest($"the multipart/form-data body is truncated or malformed: {e.Message}");
        }
        throw InferenceError.BadRequest("the multipart/form-data body has no image part (send the image as a file part, e.g. name=\"image\"; filename=\"cat.png\")");
    }

    private static bool IsImagePart(MultipartSection section)
    {
        if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition is not null)
        {
            if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue) return true;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (name is "image" or "file") return true;
        }
        return section.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true;
    }
}
