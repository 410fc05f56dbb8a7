using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Api.Schema;

/// <summary>The CRD files the repository keeps in crds/, generated from the API types.</summary>
public static class CrdFiles
{
    public const string Header =
        "Generated from the C# API types in operator/Api by tools/Platform.CrdGen. Do not edit.\n" +
        "Regenerate: dotnet run --project tools/Platform.CrdGen -- crds/";

    /// <summary>The resource types that get a CRD.</summary>
    public static IReadOnlyList<Type> ResourceTypes { get; } = [typeof(InferenceService)];

    /// <summary>File name → expected content, for every CRD.</summary>
    public static IReadOnlyDictionary<string, string> Generate() =>
        ResourceTypes.ToDictionary(CrdBuilder.FileName, t => CrdBuilder.BuildYaml(t, Header), StringComparer.Ordinal);

    /// <summary>
    /// The files of <paramref name="directory"/> that are missing or differ from what the
    /// types generate, each with a one-line reason; empty when the directory is up to date.
    /// </summary>
    public static IReadOnlyList<string> FindDrift(string directory)
    {
        var problems = new List<string>();
        foreach (var (name, expected) in Generate())
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                problems.Add($"{path}: missing");
                continue;
            }
            var actual = File.ReadAllText(path).ReplaceLineEndings("\n");
            if (actual != expected)
            {
                problems.Add($"{path}: differs from the generated CRD (first difference at line {FirstDifferentLine(expected, actual)})");
            }
        }
        return problems;
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i])
        {
            i++;
        }
        return i + 1;
    }
}
