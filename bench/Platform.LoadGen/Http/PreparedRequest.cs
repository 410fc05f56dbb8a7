using System.Globalization;
using System.Net;
using Platform.Contracts;

namespace Platform.LoadGen.Http;

/// <summary>
/// An inference request serialized once and sent many times: each send wraps the same bytes in a
/// new message, so the generator spends no CPU on serialization during a run.
/// </summary>
internal sealed class PreparedRequest
{
    private readonly string? _headerLengthValue;
    private readonly string _contentType;

    public PreparedRequest(byte[] body, int? jsonHeaderLength, int rows, string description)
    {
        Body = body;
        JsonHeaderLength = jsonHeaderLength;
        Rows = rows;
        Description = description;
        _headerLengthValue = jsonHeaderLength?.ToString(CultureInfo.InvariantCulture);
        _contentType = jsonHeaderLength is null ? "application/json" : InferenceProtocol.BinaryContentType;
    }

    public byte[] Body { get; }

    /// <summary>Length of the JSON header when the body uses the binary tensor extension, else null.</summary>
    public int? JsonHeaderLength { get; }

    /// <summary>Rows (batch size) this request carries.</summary>
    public int Rows { get; }

    public string Description { get; }

    public HttpRequestMessage CreateMessage(Uri inferUri)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", _contentType);
        var message = new HttpRequestMessage(HttpMethod.Post, inferUri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (_headerLengthValue is not null)
        {
            message.Headers.TryAddWithoutValidation(InferenceProtocol.InferenceHeaderContentLength, _headerLengthValue);
        }
        return message;
    }
}
