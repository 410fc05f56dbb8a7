using System.Reflection;

namespace Platform.Tests.Shared;

/// <summary>The repository checkout the tests run from: the folder holding Platform.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string?> Found = new(TryFind);

    public static string Path => Found.Value ?? throw new InvalidOperationException(
        $"No Platform.sln above {AppContext.BaseDirectory} or the project directory; the tests must run from a checkout of the repository.");

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Walks up from the test's base directory; when build output lives outside the checkout
    /// ($PLATFORM_ARTIFACTS), from the project directory recorded at build time. Null when neither
    /// lies inside a checkout.
    /// </summary>
    public static string? TryFind()
    {
        var projectDirectory = typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, projectDirectory }.OfType<string>())
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Platform.sln"))) return directory.FullName;
            }
        }
        return null;
    }
}
