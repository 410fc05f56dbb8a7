using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Packaging.Tests.Docker;

/// <summary>
/// Structural rules for the project's images (hadolint is not available here): pinned base
/// images, a multi-stage build whose runtime image holds no SDK, runs no shell and runs as a
/// non-root user, and serves on the port it exposes.
/// </summary>
internal static partial class DockerfileLint
{
    public static IReadOnlyList<string> Check(Dockerfile dockerfile, IReadOnlyDictionary<string, string> buildArguments)
    {
        var problems = new List<string>();
        var globals = dockerfile.GlobalValues(buildArguments);
        var chain = dockerfile.FinalChain(buildArguments);

        foreach (var stage in dockerfile.Stages)
        {
            var image = Dockerfile.Substitute(stage.From, globals);
            if (dockerfile.StageNamed(image) is null && image != "scratch" && !IsPinned(image))
            {
                problems.Add($"line {stage.Instructions[0].Line}: base image '{image}' needs an explicit tag other than latest, or a digest");
            }
            foreach (var copy in stage.Where("COPY").Where(c => c.Flags.TryGetValue("from", out var from) && dockerfile.StageNamed(from) is null && !IsPinned(from)))
            {
                problems.Add($"line {copy.Line}: COPY --from={copy.Flags["from"]} needs a stage name or a pinned image");
            }
            foreach (var add in stage.Where("ADD"))
            {
                problems.Add($"line {add.Line}: use COPY, not ADD (no remote URLs or implicit archive extraction)");
            }
        }

        if (dockerfile.Stages.Count < 2) problems.Add("not a multi-stage build: the SDK would ship in the runtime image");
        var baseImage = dockerfile.BaseImage(chain, buildArguments);
        if (baseImage.Contains("/dotnet/sdk", StringComparison.Ordinal)) problems.Add($"the runtime image is built on the SDK image {baseImage}");
        if (!chain.SelectMany(s => s.Where("COPY")).Any(c => c.Flags.ContainsKey("from")))
        {
            problems.Add("the runtime image copies nothing from a build stage");
        }
        foreach (var run in chain.SelectMany(s => s.Where("RUN")))
        {
            problems.Add($"line {run.Line}: RUN in the runtime image's stages: it must not need a shell or package manager");
        }

        var user = Effective(chain, "USER");
        if (user is null) problems.Add("the runtime image sets no USER: it would run as root");
        else if (Uid(user.Body) is not { } uid || uid == 0)
        {
            problems.Add($"line {user.Line}: USER '{user.Body}' must be a numeric non-root uid:gid, so runAsNonRoot can verify it");
        }

        var entrypoint = Effective(chain, "ENTRYPOINT");
        if (entrypoint is null) problems.Add("the runtime image has no ENTRYPOINT");
        else if (ExecForm(entrypoint.Body) is null) problems.Add($"line {entrypoint.Line}: ENTRYPOINT must be in exec form (a JSON array): shell form needs /bin/sh");

        var exposed = chain.SelectMany(s => s.Where("EXPOSE")).Select(e => e.Body.Split('/')[0]).ToList();
        var ports = chain.Select(s => s.Where("ENV").Select(e => HttpPorts().Match(e.Body)).LastOrDefault(m => m.Success)).FirstOrDefault(m => m is not null)?.Groups["ports"].Value;
        if (ports is null) problems.Add("the runtime image does not set ASPNETCORE_HTTP_PORTS");
        else if (!exposed.Contains(ports)) problems.Add($"ASPNETCORE_HTTP_PORTS={ports} is not EXPOSEd (exposed: {string.Join(", ", exposed)})");
        return problems;
    }

    /// <summary>The instruction that applies to the image: the last one of the nearest stage that has one (chain is final first).</summary>
    public static Instruction? Effective(IReadOnlyList<Stage> chain, string keyword) =>
        chain.Select(s => s.Where(keyword).LastOrDefault()).FirstOrDefault(i => i is not null);

    /// <summary>The program and arguments of an exec-form ENTRYPOINT or CMD, or null for shell form.</summary>
    public static IReadOnlyList<string>? ExecForm(string body)
    {
        if (!body.StartsWith('[')) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The uid of a USER instruction's value, when numeric.</summary>
    public static long? Uid(string user) => NumericUser().Match(user) is { Success: true } m ? long.Parse(m.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static bool IsPinned(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal)) return true;
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && lastSegment[(colon + 1)..] is { Length: > 0 } tag && tag != "latest";
    }

    [GeneratedRegex("^(?<uid>[0-9]+)(:(?<gid>[0-9]+))?$")]
    private static partial Regex NumericUser();

    [GeneratedRegex(@"(^|\s)ASPNETCORE_HTTP_PORTS=(?<ports>[0-9]+)")]
    private static partial Regex HttpPorts();
}
