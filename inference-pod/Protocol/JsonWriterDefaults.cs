using System.Text.Encodings.Web;
using System.Text.Json;

namespace Platform.InferencePod.Protocol;

/// <summary>Writer options for protocol responses: messages keep quotes readable ('x', not \u0027x\u0027).</summary>
public static class JsonWriterDefaults
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
