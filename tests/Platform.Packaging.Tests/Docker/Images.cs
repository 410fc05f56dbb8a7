using System.Runtime.InteropServices;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docker;

/// <summary>The project's Dockerfiles and the build arguments they are checked with.</summary>
internal static class Images
{
    public const string Operator = "Dockerfile.operator";
    public const string Pod = "Dockerfile.pod";

    /// <summary>TARGETARCH as BuildKit sets it for this machine's architecture.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => throw new PlatformNotSupportedException($"no image is built for {other}"),
    };

    public static Dockerfile Load(string file) => Dockerfile.Load(RepositoryRoot.File(file));

    /// <summary>Build arguments: TARGETARCH (set by BuildKit) and, for the pod, its flavour when given.</summary>
    public static Dictionary<string, string> Arguments(string? flavor = null)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal) { ["TARGETARCH"] = HostArchitecture };
        if (flavor is not null) arguments["FLAVOR"] = flavor;
        return arguments;
    }
}
