using System.Globalization;
using System.Text.Json;
using Platform.FeatureBench.Cli;
using Platform.FeatureBench.Inputs;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Preprocessing;

namespace Platform.FeatureBench.Workloads;

/// <summary>
/// mobilenet_v2 as an ImageNet classifier (resize 256, crop 224, ImageNet mean and std,
/// softmax, top 5), once as pod settings and once in process: the pod's own ImageDecoder,
/// ImagePreprocessor and ClassificationHead around a raw Run of the same model.
/// </summary>
internal sealed class Classifier : IDisposable
{
    private const string Mean = "0.485,0.456,0.406";
    private const string Std = "0.229,0.224,0.225";

    [ThreadStatic] private static byte[]? t_row;

    private readonly RawModel _model;

    public Classifier(BenchOptions options)
    {
        ModelPath = Path.Combine(options.ModelsDirectory, "mobilenet_v2.onnx");
        LabelsPath = options.LabelsPath is { } labels && File.Exists(labels) ? labels : null;
        _model = new RawModel(ModelPath, options.Threads);
        Pipeline = ImagePipeline.Resolve(new PreprocessingOptions { Enabled = true, Mean = Mean, Std = Std }, _model.Metadata);
        Head = ClassificationHead.Resolve(new PostprocessingOptions { Enabled = true, Softmax = true, LabelsPath = LabelsPath }, _model.Metadata);
    }

    public string ModelPath { get; }
    public string? LabelsPath { get; }
    public RawModel Model => _model;
    public ImagePipeline Pipeline { get; }
    public ClassificationHead Head { get; }

    /// <summary>The pod's settings for the same classifier; ONNX Runtime on the same threads as the in-process model.</summary>
    public Dictionary<string, string> PodSettings(BenchOptions options)
    {
        var settings = new Dictionary<string, string>
        {
            ["Model:IntraOpThreads"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["Preprocessing:Enabled"] = "true",
            ["Preprocessing:Mean"] = Mean,
            ["Preprocessing:Std"] = Std,
            ["Postprocessing:Enabled"] = "true",
            ["Postprocessing:Softmax"] = "true",
            ["Queue:Capacity"] = "256",
        };
        if (LabelsPath is not null) settings["Postprocessing:LabelsPath"] = LabelsPath;
        return settings;
    }

    /// <summary>Decode, preprocess, Run and top-k in this thread: the baseline of the classify endpoint.</summary>
    public Prediction[] Classify(byte[] image, int k = 5)
    {
        var decoded = ImageDecoder.Decode(image, Pipeline.MaxPixels, "the image");
        var row = t_row ??= GC.AllocateUninitializedArray<byte>(Pipeline.RowBytes, pinned: true);
        ImagePreprocessor.Write(decoded.Rgb, decoded.Width, decoded.Height, Pipeline, row);
        var outputs = _model.Run([(row, Pipeline.RowBytes, Pipeline.Shape(1))]);
        try
        {
            return Head.Rank(outputs[Head.OutputIndex], 1, k)[0];
        }
        finally
        {
            foreach (var output in outputs) output.Release();
        }
    }

    /// <summary>The preprocessed tensor of one image, as floats (the protocol and cache workloads send it).</summary>
    public float[] Tensor(byte[] image)
    {
        var decoded = ImageDecoder.Decode(image, Pipeline.MaxPixels, "the image");
        var row = new byte[Pipeline.RowBytes];
        ImagePreprocessor.Write(decoded.Rgb, decoded.Width, decoded.Height, Pipeline, row);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(row).ToArray();
    }

    /// <summary>POSTs the image to /classify and returns the class indices of the first result, best first; throws unless 200.</summary>
    public static async Task<int[]> ClassifyOverHttpAsync(HttpClient client, string model, byte[] image, string? cacheControl, CancellationToken cancellationToken)
    {
        using var request = ClassifyRequest(model, image, cacheControl);
        var body = await TensorRequests.SendAsync(client, request, cancellationToken);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("results")[0].GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("index").GetInt32()).ToArray();
    }

    public static HttpRequestMessage ClassifyRequest(string model, byte[] image, string? cacheControl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/classify") { Content = new ByteArrayContent(image) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        if (cacheControl is not null) request.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        return request;
    }

    /// <summary>The images to classify: a generated 224×224 and 640×480 JPEG, and the caller's when given.</summary>
    public static List<(string Name, byte[] Bytes)> Images(BenchOptions options)
    {
        var images = new List<(string, byte[])>
        {
            Describe("224x224", PhotoJpeg.Create(224, 224, seed: 1)),
            Describe("640x480", PhotoJpeg.Create(640, 480, seed: 2)),
        };
        if (options.Image is { } path)
        {
            var bytes = File.ReadAllBytes(path);
            var (_, width, height) = ImageDecoder.ReadHeader(bytes, long.MaxValue, path);
            images.Add(Describe($"{width}x{height} {Path.GetFileName(path)}", bytes));
        }
        return images;
    }

    private static (string, byte[]) Describe(string size, byte[] bytes) => ($"{size} JPEG, {bytes.Length / 1024.0:0} KB", bytes);

    public void Dispose() => _model.Dispose();

    public static void Release(OutputTensor[] outputs)
    {
        foreach (var output in outputs) output.Release();
    }
}
