using System.Reflection;

namespace Platform.Packaging.Tests.Support;

/// <summary>The repository checkout the tests run from: the folder holding Platform.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Walks up from the test's base directory; when build output lives outside the checkout
    /// ($PLATFORM_ARTIFACTS), from the project directory recorded at build time.
    /// </summary>
    private static string Find()
    {
        var projectDirectory = typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        string?[] starts = [AppContext.BaseDirectory, projectDirectory];
        foreach (var start in starts.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Platform.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException($"No Platform.sln above {AppContext.BaseDirectory} or {projectDirectory}; the tests must run from a checkout of the repository.");
    }
}
