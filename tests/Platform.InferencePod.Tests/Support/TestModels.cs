namespace Platform.InferencePod.Tests.Support;

/// <summary>The repository's sample models, copied next to the test assembly.</summary>
public static class TestModels
{
    public static string Mlp => Path.Combine(AppContext.BaseDirectory, "models", "mlp.onnx");
    public static string MobileNet => Path.Combine(AppContext.BaseDirectory, "models", "mobilenet_v2.onnx");
}
