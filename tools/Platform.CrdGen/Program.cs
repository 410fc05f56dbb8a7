using Platform.Operator.Api.Schema;

// Writes the CRDs generated from the operator's API types into a directory, or with
// --check verifies that the directory already holds exactly that (for CI).
//   dotnet run --project tools/Platform.CrdGen -- crds/
//   dotnet run --project tools/Platform.CrdGen -- --check crds/

const string Usage = "usage: Platform.CrdGen [--check] <crd-directory>";

var check = args.Contains("--check");
var positional = args.Where(a => a != "--check").ToList();
if (positional.Count != 1 || positional[0].StartsWith('-'))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var directory = positional[0];

if (check)
{
    if (!Directory.Exists(directory))
    {
        Console.Error.WriteLine($"crdgen: directory {directory} does not exist");
        return 1;
    }
    var drift = CrdFiles.FindDrift(directory);
    foreach (var problem in drift)
    {
        Console.Error.WriteLine($"crdgen: {problem}");
    }
    if (drift.Count > 0)
    {
        Console.Error.WriteLine("crdgen: the CRDs are out of date; run: dotnet run --project tools/Platform.CrdGen -- crds/");
        return 1;
    }
    Console.WriteLine($"crdgen: {directory} is up to date");
    return 0;
}

Directory.CreateDirectory(directory);
foreach (var (name, content) in CrdFiles.Generate())
{
    var path = Path.Combine(directory, name);
    File.WriteAllText(path, content);
    Console.WriteLine($"crdgen: wrote {path}");
}
return 0;
