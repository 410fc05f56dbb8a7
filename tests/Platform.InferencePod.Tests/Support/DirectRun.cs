using Microsoft.ML.OnnxRuntime;

namespace Platform.InferencePod.Tests.Support;

/// <summary>A plain ONNX Runtime run of a model, the reference the server's answers are compared to.</summary>
public static class DirectRun
{
    public static float[] Run(string modelPath, string input, long[] shape, float[] data)
    {
        using var session = new InferenceSession(modelPath);
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var results = session.Run(new RunOptions(), [input], [value], session.OutputNames);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static void AssertClose(float[] expected, float[] actual, double relative = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(v => Math.Abs(v));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale + 1e-30,
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
