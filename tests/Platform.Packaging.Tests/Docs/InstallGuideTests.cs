using System.Text.RegularExpressions;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docs;

/// <summary>
/// docs/install.md, command by command, without a cluster: what can be checked from the
/// repository alone. <see cref="InstallGuideRunTests"/> runs the kubectl and helm commands.
/// </summary>
public sealed class InstallGuideTests
{
    [Fact]
    public void The_guide_uses_only_programs_these_tests_check()
    {
        Assert.NotEmpty(InstallGuide.Commands);
        Assert.All(InstallGuide.Commands, c => Assert.True(InstallGuide.KnownPrograms.Contains(c.Program),
            $"docs/install.md runs '{c.Program}', which InstallGuideTests does not check: {c}"));
    }

    [Fact]
    public void Every_file_a_command_names_exists()
    {
        var named = new List<(ShellCommand Command, string Word)>();
        foreach (var command in InstallGuide.Commands)
        {
            named.AddRange(command.Options("-f").Select(f => (command, f)));
            named.AddRange(command.Options("--project").Select(f => (command, f)));
            named.AddRange(command.Options("-d").Concat(command.Options("--data")).Where(d => d.StartsWith('@')).Select(d => (command, d[1..])));
            if (command is { Program: "helm" } && command.Words.Count > 3 && command.Words[1] is "install" or "upgrade" or "template") named.Add((command, command.Words[3]));
            if (command is { Program: "kubectl" } && command.Words[1] == "cp") named.Add((command, command.Words[2]));
            if (command is { Program: "docker" } && command.Words[1] == "build") named.Add((command, command.Words[^1]));
            if (command is { Program: "cp" }) named.Add((command, command.Words[^2]));
        }

        Assert.Contains(named, n => n.Word == "samples/requests/mlp.json");
        foreach (var (command, word) in named)
        {
            if (InstallGuide.RepositoryPath(word) is not { } path) continue;
            Assert.True(File.Exists(path) || Directory.Exists(path), $"docs/install.md names {word}, which does not exist: {command}");
        }
    }

    [Fact]
    public void Nothing_the_guide_writes_lands_in_the_repository()
    {
        foreach (var command in InstallGuide.Commands)
        {
            if (command.RedirectTo is { } target)
                Assert.True(InstallGuide.RepositoryPath(target) is null, $"writes {target} into the repository: {command}");
            if (command.Program is "cp" or "rm")
                Assert.True(InstallGuide.RepositoryPath(command.Words[^1]) is null, $"'{command.Program}' changes {command.Words[^1]} in the repository: {command}");
        }
        Assert.DoesNotContain(InstallGuide.Commands, c => c.Words.Contains("Dockerfile.model"));
    }

    [Fact]
    public void Docker_builds_name_dockerfiles_and_build_arguments_that_exist()
    {
        var builds = InstallGuide.Of("docker", "build").ToList();
        Assert.NotEmpty(builds);
        foreach (var build in builds)
        {
            Assert.NotNull(build.Option("-t"));
            if (build.Option("-f") is not { } dockerfile) continue;
            var text = File.ReadAllText(RepositoryRoot.File(dockerfile));
            foreach (var argument in build.Options("--build-arg"))
                Assert.Matches(new Regex($@"(?m)^ARG {Regex.Escape(argument.Split('=')[0])}\b"), text);
        }
    }

    [Fact]
    public void Every_image_pushed_or_loaded_into_kind_is_built_first_and_kind_commands_name_one_cluster()
    {
        var images = new HashSet<string>(StringComparer.Ordinal);
        var clusters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in InstallGuide.Commands)
        {
            switch (command.Words)
            {
                case ["docker", "build", ..]:
                    images.Add(command.Option("-t")!);
                    break;
                case ["docker", "tag", var source, var target]:
                    Assert.True(images.Contains(source), $"tags {source}, which the guide has not built: {command}");
                    images.Add(target);
                    break;
                case ["docker", "push", var image]:
                    Assert.True(images.Contains(image), $"pushes {image}, which the guide has not built: {command}");
                    break;
                case ["kind", "create", "cluster", ..]:
                    clusters.Add(command.Option("--name") ?? "kind");
                    break;
                case ["kind", "load", "docker-image", ..]:
                    foreach (var image in command.Words.Skip(3).TakeWhile(w => !w.StartsWith('-')))
                        Assert.True(images.Contains(image), $"loads {image}, which the guide has not built: {command}");
                    Assert.Contains(command.Option("--name") ?? "kind", clusters);
                    break;
                case ["kind", "delete", "cluster", ..]:
                    Assert.Contains(command.Option("--name") ?? "kind", clusters);
                    break;
            }
        }
        Assert.NotEmpty(clusters);
    }

    [Fact]
    public void Every_curl_ends_its_output_with_a_newline_and_calls_a_model_the_guide_serves()
    {
        foreach (var line in InstallGuide.Lines.Where(l => l.Any(c => c.Program == "curl")))
        {
            Assert.True(line.Any(c => c.Program == "echo") || line.Any(c => c.Has("-w")), $"curl without a trailing newline: {line[0]}");
            foreach (var url in line.Where(c => c.Program == "curl").SelectMany(c => c.Words).Where(w => w.StartsWith("http", StringComparison.Ordinal)))
                Assert.Matches(@"^http://127\.0\.0\.1:8080/v2/models/mlp(/infer)?$", url);
        }
    }
}
