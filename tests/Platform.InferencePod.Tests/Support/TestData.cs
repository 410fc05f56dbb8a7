namespace Platform.InferencePod.Tests.Support;

/// <summary>Files under TestData/, copied next to the test assembly.</summary>
public static class TestData
{
    /// <summary>1000 lines, "class-0" to "class-999": labels for mobilenet_v2's 1000 outputs.</summary>
    public static string Labels1000 => Path.Combine(AppContext.BaseDirectory, "TestData", "labels-1000.txt");
}
