using System.Globalization;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>One mobilenet_v2 pod that classifies images (ImageNet normalisation, softmax, 1000 labels) with the in-process cache, shared by a test class.</summary>
public sealed class ClassifierPodFixture : IAsyncLifetime
{
    public const int MaxPixels = 1_000_000;
    public const int BodyLimit = 2 * 1024 * 1024;
    public static readonly double[] Mean = [0.485, 0.456, 0.406];
    public static readonly double[] Std = [0.229, 0.224, 0.225];

    public PodServer Pod { get; private set; } = null!;

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Batching:MaxBatchSize"] = "4",
            ["Warmup:BatchSizes"] = "1",
            ["Warmup:Iterations"] = "1",
            ["Server:MaxRequestBodyBytes"] = BodyLimit.ToString(CultureInfo.InvariantCulture),
            ["Preprocessing:Enabled"] = "true",
            ["Preprocessing:Mean"] = string.Join(',', Mean.Select(m => m.ToString(CultureInfo.InvariantCulture))),
            ["Preprocessing:Std"] = string.Join(',', Std.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            ["Preprocessing:MaxPixels"] = MaxPixels.ToString(CultureInfo.InvariantCulture),
            ["Postprocessing:Enabled"] = "true",
            ["Postprocessing:Softmax"] = "true",
            ["Postprocessing:LabelsPath"] = TestData.Labels1000,
            ["Cache:Enabled"] = "true",
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    public async Task InitializeAsync() => Pod = await PodServer.StartAsync(TestModels.MobileNet, Settings());

    public async Task DisposeAsync() => await Pod.DisposeAsync();
}
