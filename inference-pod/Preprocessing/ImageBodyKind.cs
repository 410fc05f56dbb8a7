using Microsoft.Net.Http.Headers;
using Platform.Contracts;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Preprocessing;

/// <summary>The forms a classify request may take, told from its headers before the body is read.</summary>
public enum ImageBodyKind
{
    /// <summary>The body is the image (image/png, image/jpeg, application/octet-stream).</summary>
    Raw,
    /// <summary>multipart/form-data with the image in a file part.</summary>
    Multipart,
    /// <summary>A V2 request whose one BYTES input holds base64-encoded images.</summary>
    V2Json,
    /// <summary>A V2 request with the binary extension: the BYTES input's elements follow the JSON, each length-prefixed.</summary>
    V2Binary,
}

public static class ImageBodyKinds
{
    public const string Accepted = "image/png, image/jpeg, multipart/form-data with an image file part, or a V2 request (application/json, or the binary extension) with one BYTES input";

    /// <summary>The body's form; 415 for a content type the endpoint does not take.</summary>
    public static ImageBodyKind Of(HttpRequest request, out MediaTypeHeaderValue? mediaType)
    {
        mediaType = null;
        if (request.Headers.ContainsKey(InferenceProtocol.InferenceHeaderContentLength)) return ImageBodyKind.V2Binary;
        if (string.IsNullOrEmpty(request.ContentType))
            throw UnsupportedMediaType($"a Content-Type header is required: send {Accepted}");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out mediaType) || mediaType is null)
            throw UnsupportedMediaType($"Content-Type '{request.ContentType}' cannot be parsed; send {Accepted}");
        var type = mediaType.MediaType.Value?.ToLowerInvariant();
        return type switch
        {
            "image/png" or "image/jpeg" or "image/jpg" or "image/pjpeg" or InferenceProtocol.BinaryContentType => ImageBodyKind.Raw,
            "multipart/form-data" => ImageBodyKind.Multipart,
            "application/json" => ImageBodyKind.V2Json,
            _ => throw UnsupportedMediaType($"Content-Type '{type}' is not accepted here; send {Accepted}"),
        };
    }

    public static InferenceError UnsupportedMediaType(string message) =>
        new(StatusCodes.Status415UnsupportedMediaType, message, Contracts.PodMetrics.Reasons.BadRequest);
}
