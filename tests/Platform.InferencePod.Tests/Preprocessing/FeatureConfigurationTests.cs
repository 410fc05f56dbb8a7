using Platform.InferencePod.Configuration;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Preprocessing;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>Bad image, cache and job settings stop start-up with one line naming the key.</summary>
public sealed class FeatureConfigurationTests
{
    private static readonly string[] Classifier = ["--Preprocessing:Enabled=true", "--Postprocessing:Enabled=true"];

    public static TheoryData<string, string[], string> BadSettings => new()
    {
        { "mobilenet", [.. Classifier, "--Preprocessing:Layout=CHWN"], "Preprocessing:Layout must be 'NCHW' or 'NHWC' (got 'CHWN')" },
        { "mobilenet", [.. Classifier, "--Preprocessing:ChannelOrder=GBR"], "Preprocessing:ChannelOrder must be 'RGB' or 'BGR'" },
        { "mobilenet", [.. Classifier, "--Preprocessing:Mean=0.5,0.5"], "Preprocessing:Mean must be three comma-separated numbers" },
        { "mobilenet", [.. Classifier, "--Preprocessing:Std=1,0,1"], "Preprocessing:Std must be three comma-separated positive numbers" },
        { "mobilenet", [.. Classifier, "--Preprocessing:DataType=INT64"], "Preprocessing:DataType must be FP32, FP16 or UINT8" },
        { "mobilenet", [.. Classifier, "--Preprocessing:MaxPixels=0"], "Preprocessing:MaxPixels must be between 1" },
        { "mobilenet", [.. Classifier, "--Preprocessing:Colour=yes"], "Colour" },
        { "mobilenet", ["--Preprocessing:Enabled=true"], "Preprocessing:Enabled and Postprocessing:Enabled go together" },
        { "mobilenet", [.. Classifier, "--Preprocessing:Layout=NHWC"], "Preprocessing:Layout is NHWC but input 'input' with shape [-1,3,224,224] has 224 channels there, not 3" },
        { "mobilenet", [.. Classifier, "--Preprocessing:Height=200"], "Preprocessing:Height is 200 but input 'input' with shape [-1,3,224,224] has a height of 224" },
        { "mobilenet", [.. Classifier, "--Preprocessing:ResizeShorterSide=100"], "Preprocessing:ResizeShorterSide 100 is smaller than the crop 224x224" },
        { "mobilenet", [.. Classifier, "--Preprocessing:DataType=FP16"], "Preprocessing:DataType is FP16 but input 'input' is FP32" },
        { "mobilenet", [.. Classifier, "--Preprocessing:Input=pixels"], "Preprocessing:Input 'pixels' is not an input of the model (its input: input)" },
        { "mobilenet", [.. Classifier, "--Postprocessing:Output=probabilities"], "Postprocessing:Output 'probabilities' is not an output of the model" },
        { "mobilenet", [.. Classifier, "--Postprocessing:TopK=1001"], "Postprocessing:TopK 1001 is above the 1000 classes of output 'output'" },
        { "mobilenet", [.. Classifier, "--Postprocessing:LabelsPath=/nowhere/labels.txt"], "Postprocessing:LabelsPath '/nowhere/labels.txt' does not exist" },
        { "mlp", [.. Classifier], "input 'input' has shape [-1,64]; an image input has 4 dimensions" },
        { "mlp", ["--Cache:TtlSeconds=0"], "Cache:TtlSeconds must be between" },
        { "mlp", ["--Cache:MaxBytes=-1"], "Cache:MaxBytes must be between" },
        { "mlp", ["--Cache:Redis=localhost,abortConnect=perhaps"], "Cache:Redis 'localhost,abortConnect=perhaps' is not a valid Redis connection string" },
        { "mlp", ["--Cache:RedisTimeoutMs=0"], "Cache:RedisTimeoutMs must be between 1 and 60000" },
        { "mlp", ["--Jobs:MaxJobs=0"], "Jobs:MaxJobs must be between 1" },
        { "mlp", ["--Jobs:ResultTtlSeconds=0"], "Jobs:ResultTtlSeconds must be between 1" },
        { "mlp", ["--Jobs:Redis=,"], "Jobs:Redis ',' names no server" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_stops_start_up_with_a_message_naming_it(string model, string[] settings, string expected)
    {
        var path = model == "mlp" ? TestModels.Mlp : TestModels.MobileNet;
        string[] labels = model == "mobilenet" && !settings.Any(s => s.Contains("LabelsPath", StringComparison.Ordinal)) ? [$"--Postprocessing:LabelsPath={TestData.Labels1000}"] : [];
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={path}", .. settings, .. labels]));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_labels_file_that_does_not_match_the_output_is_refused()
    {
        var labels = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(labels, ["cat", "dog", "bird"]);
        try
        {
            var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.MobileNet}", .. Classifier, $"--Postprocessing:LabelsPath={labels}"]));
            Assert.Contains($"Postprocessing:LabelsPath '{labels}' has 3 labels but output 'output' has 1000 classes (one label per line)", error.Message);
        }
        finally
        {
            File.Delete(labels);
        }
    }
}
