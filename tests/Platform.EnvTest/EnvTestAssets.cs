namespace Platform.EnvTest;

/// <summary>
/// Where the control plane's programs are: kube-apiserver and kube-controller-manager in the
/// folder named by PLATFORM_ENVTEST_ASSETS (or KUBEBUILDER_ASSETS, as controller-runtime's
/// envtest names it); etcd in that folder or on PATH.
/// </summary>
public sealed record EnvTestAssets(string ApiServer, string ControllerManager, string Etcd)
{
    public const string Variable = "PLATFORM_ENVTEST_ASSETS";
    public const string KubebuilderVariable = "KUBEBUILDER_ASSETS";

    public const string HowToGetThem =
        "Set PLATFORM_ENVTEST_ASSETS (or KUBEBUILDER_ASSETS) to a folder holding kube-apiserver and kube-controller-manager " +
        "(Kubernetes 1.28+, e.g. from `setup-envtest use -p path` or the Kubernetes release's server binaries) and put etcd " +
        "there or on PATH (Debian: apt-get install etcd-server). .ci/run does this; see tests/Platform.EnvTest/README.md.";

    private static readonly Lazy<(EnvTestAssets? Assets, string? Missing)> Found = new(Locate);

    /// <summary>The assets, or null with <see cref="MissingReason"/> saying what is missing.</summary>
    public static EnvTestAssets? Current => Found.Value.Assets;

    public static string? MissingReason => Found.Value.Missing;

    private static (EnvTestAssets?, string?) Locate()
    {
        var folder = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } own ? (Variable, own)
            : Environment.GetEnvironmentVariable(KubebuilderVariable) is { Length: > 0 } kb ? (KubebuilderVariable, kb)
            : default;
        if (folder == default) return (null, $"no envtest assets: {Variable} and {KubebuilderVariable} are unset. {HowToGetThem}");
        var (variable, path) = folder;
        if (!Directory.Exists(path)) return (null, $"{variable}={path} is not a folder. {HowToGetThem}");
        var apiServer = Path.Combine(path, "kube-apiserver");
        var controllerManager = Path.Combine(path, "kube-controller-manager");
        var missing = new[] { apiServer, controllerManager }.Where(p => !File.Exists(p)).Select(Path.GetFileName).ToList();
        var etcd = Path.Combine(path, "etcd") is var local && File.Exists(local) ? local : OnPath("etcd");
        if (etcd is null) missing.Add("etcd (not on PATH either)");
        return missing.Count > 0
            ? (null, $"{variable}={path} lacks {string.Join(", ", missing)}. {HowToGetThem}")
            : (new EnvTestAssets(apiServer, controllerManager, etcd!), null);
    }

    internal static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
