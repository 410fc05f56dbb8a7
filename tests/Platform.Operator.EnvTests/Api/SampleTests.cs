using Platform.EnvTest;
using Platform.Operator.EnvTests.Support;

namespace Platform.Operator.EnvTests.Api;

/// <summary>Every sample under samples/ applies as the README says (kubectl apply -n NS -f FILE): server-side dry run, then for real.</summary>
[Collection(EnvTestCollection.Name)]
public sealed class SampleTests(ControlPlaneFixture fixture)
{
    public static TheoryData<string> Samples => new(Directory.GetFiles(RepositoryRoot.File("samples"), "inferenceservice-*.yaml").Select(Path.GetFileName).Order()!);

    [EnvTestKubectlTheory]
    [MemberData(nameof(Samples))]
    public async Task The_sample_applies(string file)
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var ns = await fixture.CreateNamespaceAsync("sample-" + Path.GetFileNameWithoutExtension(file));
        var path = RepositoryRoot.File("samples", file);
        var kubeconfig = fixture.Plane.AdminKubeconfig;

        (await Kubectl.RunAsync(kubeconfig, "apply", "--server-side", "--dry-run=server", "-n", ns, "-f", path)).EnsureSuccess($"apply --server-side --dry-run=server -f {file}");
        var applied = (await Kubectl.RunAsync(kubeconfig, "apply", "-n", ns, "-f", path)).EnsureSuccess($"apply -f {file}");
        Assert.Contains("inferenceservice.serving.platform.dev/", applied.Output, StringComparison.Ordinal);
        var listed = (await Kubectl.RunAsync(kubeconfig, "get", "infsvc", "-n", ns, "-o", "name")).EnsureSuccess("get infsvc");
        Assert.NotEmpty(listed.Output.Trim());
    }
}
