using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docker;

/// <summary>
/// Carries out a build stage without a Docker engine: WORKDIR, COPY from the build context
/// (honouring .dockerignore) into a folder standing for the container's root, and each RUN
/// that is a dotnet command, with the stage's ARG values substituted and absolute paths
/// mapped into that folder. Any other RUN fails: a build stage here needs nothing but the SDK.
/// </summary>
internal static class BuildStageRunner
{
    public static async Task RunAsync(Dockerfile dockerfile, Stage stage, IReadOnlyDictionary<string, string> buildArguments, string contextDirectory, string root)
    {
        var ignore = DockerIgnore.Load(contextDirectory);
        var values = dockerfile.StageValues(stage, buildArguments);
        var workdir = "/";
        foreach (var instruction in stage.Instructions.Skip(1))
        {
            switch (instruction.Keyword)
            {
                case "ARG" or "ENV" or "LABEL":
                    break;
                case "WORKDIR":
                    workdir = Combine(workdir, Dockerfile.Substitute(instruction.Body, values));
                    Directory.CreateDirectory(Map(root, workdir));
                    break;
                case "COPY":
                    Assert.False(instruction.Flags.ContainsKey("from"), $"line {instruction.Line}: COPY --from in a build stage is not emulated");
                    Copy(instruction, values, contextDirectory, ignore, root, workdir);
                    break;
                case "RUN":
                    await RunDotnetAsync(instruction, values, root, workdir);
                    break;
                default:
                    Assert.Fail($"line {instruction.Line}: {instruction.Keyword} in a build stage is not emulated");
                    break;
            }
        }
    }

    /// <summary>A path inside the container, as a path under <paramref name="root"/>.</summary>
    public static string Map(string root, string containerPath) => Path.Combine(root, containerPath.TrimStart('/'));

    private static void Copy(Instruction instruction, IReadOnlyDictionary<string, string> values, string context, DockerIgnore ignore, string root, string workdir)
    {
        var parts = Dockerfile.Substitute(instruction.Body, values).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var destination = Combine(workdir, parts[^1]);
        var intoDirectory = parts[^1].EndsWith('/') || parts[^1] is "." || parts.Length > 2;
        foreach (var source in parts[..^1])
        {
            var relative = source.TrimEnd('/');
            var full = Path.Combine(context, relative);
            if (Directory.Exists(full))
            {
                // A directory's contents are copied, not the directory itself.
                foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
                {
                    var inContext = Path.GetRelativePath(context, file).Replace('\\', '/');
                    if (ignore.Excludes(inContext)) continue;
                    CopyFile(file, Path.Combine(Map(root, destination), Path.GetRelativePath(full, file)));
                }
            }
            else
            {
                Assert.True(File.Exists(full), $"line {instruction.Line}: COPY source {source} is not in the build context");
                Assert.False(ignore.Excludes(relative), $"line {instruction.Line}: COPY source {source} is excluded by .dockerignore");
                CopyFile(full, intoDirectory ? Path.Combine(Map(root, destination), Path.GetFileName(full)) : Map(root, destination));
            }
        }
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private static async Task RunDotnetAsync(Instruction instruction, IReadOnlyDictionary<string, string> values, string root, string workdir)
    {
        var command = Dockerfile.Substitute(instruction.Body, values);
        Assert.True(command.StartsWith("dotnet ", StringComparison.Ordinal) && command.IndexOfAny(['&', '|', ';', '>', '<', '`']) < 0,
            $"line {instruction.Line}: a build-stage RUN must be one plain dotnet command: {command}");
        var arguments = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(a => a.StartsWith('/') ? Map(root, a) : a)
            .ToList();
        var environment = new Dictionary<string, string?>
        {
            // As in the container: build output under the source tree, not an outside artifacts folder.
            ["PLATFORM_ARTIFACTS"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // Leave no build servers behind once the test ends.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
        };
        var result = await ProcessRunner.RunAsync("dotnet", arguments, Map(root, workdir), TimeSpan.FromMinutes(8), environment);
        Assert.True(result.ExitCode == 0, result.Describe($"line {instruction.Line}: {command}"));
    }

    private static string Combine(string workdir, string path) =>
        path.StartsWith('/') ? path : workdir.TrimEnd('/') + "/" + path;
}
