using System.Text.Json;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Protocol;

/// <summary>A body the JSON reader rejected, said in the project's words: where it went wrong, not the reader's internals.</summary>
public static class JsonErrors
{
    public static InferenceError NotJson(ReadOnlySpan<byte> json, JsonException e)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
            return InferenceError.BadRequest("request body is empty; send a JSON inference request (an object with 'inputs')");
        var line = (e.LineNumber ?? 0) + 1;
        var column = (e.BytePositionInLine ?? 0) + 1;
        return InferenceError.BadRequest($"request body is not valid JSON: the JSON ends early or has an unexpected character at line {line}, byte {column}");
    }

    public static InferenceError NotUtf8() => InferenceError.BadRequest("request body is not valid UTF-8 JSON: a string holds bytes that are not UTF-8");
}
