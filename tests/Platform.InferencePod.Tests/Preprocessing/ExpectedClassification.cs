using System.Text.Json.Nodes;
using Platform.InferencePod.Preprocessing;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>
/// What the classify endpoint should answer for an image, computed without the pod: the
/// reference preprocessing, a direct ONNX Runtime run, softmax, ranking.
/// </summary>
public static class ExpectedClassification
{
    public static double[][] Probabilities(params (byte[] Rgb, int Width, int Height)[] images)
    {
        var tensor = images.SelectMany(i => ReferencePreprocessing.Tensor(i.Rgb, i.Width, i.Height, 256, 224, 224,
            mean: ClassifierPodFixture.Mean, std: ClassifierPodFixture.Std)).Select(v => (float)v).ToArray();
        var logits = DirectRun.Run(TestModels.MobileNet, "input", [images.Length, 3, 224, 224], tensor);
        return Enumerable.Range(0, images.Length).Select(row =>
        {
            var slice = logits.AsSpan(row * 1000, 1000).ToArray().Select(v => (double)v).ToArray();
            var max = slice.Max();
            var exp = slice.Select(v => Math.Exp(v - max)).ToArray();
            var sum = exp.Sum();
            return exp.Select(e => e / sum).ToArray();
        }).ToArray();
    }

    /// <summary>The top-1 is the argmax of the direct run, and every returned score is that class's probability.</summary>
    public static void AssertMatches(double[] probabilities, JsonNode result, int k)
    {
        var predictions = result["predictions"]!.AsArray();
        Assert.Equal(k, predictions.Count);
        var argmax = Array.IndexOf(probabilities, probabilities.Max());
        Assert.Equal(argmax, (int)predictions[0]!["index"]!);
        Assert.Equal($"class-{argmax}", (string)predictions[0]!["label"]!);
        var previous = double.PositiveInfinity;
        foreach (var prediction in predictions)
        {
            var index = (int)prediction!["index"]!;
            var score = (double)prediction["score"]!;
            Assert.Equal($"class-{index}", (string)prediction["label"]!);
            Assert.True(Math.Abs(probabilities[index] - score) <= 1e-3 * probabilities[index] + 1e-7, $"class {index}: expected {probabilities[index]}, got {score}");
            Assert.True(score <= previous, "predictions are ranked best first");
            previous = score;
        }
        var expectedTop = TopK.Select(probabilities, k);
        // The same classes, allowing neighbours whose probabilities tie within float noise to swap.
        Assert.Equal(expectedTop.Order().ToArray(), predictions.Select(p => (int)p!["index"]!).Order().ToArray());
    }
}
