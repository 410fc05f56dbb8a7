using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>The forms of a classify request.</summary>
public static class ClassifyRequests
{
    public static HttpContent Raw(byte[] image, string contentType = "image/png")
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public static MultipartFormDataContent Multipart(byte[] image, string fileName = "picture.png", string partType = "image/png")
    {
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(partType);
        return new MultipartFormDataContent { { new StringContent("a note"), "note" }, { file, "image", fileName } };
    }

    public static HttpContent V2Json(params byte[][] images)
    {
        var body = new JsonObject
        {
            ["id"] = "batch-1",
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "image",
                ["datatype"] = "BYTES",
                ["shape"] = new JsonArray(images.Length),
                ["data"] = new JsonArray(images.Select(i => (JsonNode)Convert.ToBase64String(i)).ToArray()),
            }),
        };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    /// <summary>The binary extension: JSON header, then each image as a 4-byte little-endian length and its bytes.</summary>
    public static HttpContent V2Binary(params byte[][] images)
    {
        var binary = new MemoryStream();
        foreach (var image in images)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, image.Length);
            binary.Write(length);
            binary.Write(image);
        }
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "image",
                ["datatype"] = "BYTES",
                ["shape"] = new JsonArray(images.Length),
                ["parameters"] = new JsonObject { ["binary_data_size"] = binary.Length },
            }),
        };
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var content = new ByteArrayContent([.. json, .. binary.ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.BinaryContentType);
        content.Headers.Add(InferenceProtocol.InferenceHeaderContentLength, json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }
}
