using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class ClusterCapabilitiesTests
{
    [Theory]
    [InlineData("1", "28", "v1.28.4", 1, 28)]
    [InlineData("1", "30+", "v1.30.2-eks-1552ad0", 1, 30)]
    [InlineData("1", "29+", "", 1, 29)]
    [InlineData("1", "33", null, 1, 33)]
    [InlineData("1", "32", "v1.32.0-kubeapidouble", 1, 32)]
    [InlineData(null, null, "v1.31.0+k3s1", 1, 31)]
    public void The_version_comes_from_git_version_or_major_and_minor(string? major, string? minor, string? gitVersion, int expectedMajor, int expectedMinor)
    {
        Assert.Equal(new KubernetesVersion(expectedMajor, expectedMinor), KubernetesVersion.Parse(major, minor, gitVersion));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("one", "x", "latest")]
    public void An_unreadable_version_is_null(string? major, string? minor, string? gitVersion)
    {
        Assert.Null(KubernetesVersion.Parse(major, minor, gitVersion));
    }

    //           minor  supported  preStop sleep  image volumes
    [Theory]
    [InlineData(27, false, false, false)]
    [InlineData(28, true, false, false)]
    [InlineData(29, true, false, false)]
    [InlineData(30, true, true, false)]
    [InlineData(32, true, true, false)]
    [InlineData(33, true, true, true)]
    [InlineData(35, true, true, true)]
    public void Capabilities_follow_the_version(int minor, bool supported, bool preStopSleep, bool imageVolumes)
    {
        var cluster = new ClusterCapabilities(new KubernetesVersion(1, minor), $"v1.{minor}.0");

        Assert.Equal((supported, preStopSleep, imageVolumes), (cluster.Supported, cluster.PreStopSleep, cluster.ImageVolumes));
    }

    [Fact]
    public void Version_two_has_everything()
    {
        var cluster = new ClusterCapabilities(new KubernetesVersion(2, 0), "v2.0.0");

        Assert.True(cluster.Supported && cluster.PreStopSleep && cluster.ImageVolumes);
    }

    [Fact]
    public void An_image_model_source_before_1_33_is_a_problem_naming_the_version_needed()
    {
        var old = new ClusterCapabilities(new KubernetesVersion(1, 28), "v1.28.4");

        var problem = old.ModelSourceProblem(TestServices.Image().Spec);

        Assert.NotNull(problem);
        Assert.Contains("Kubernetes 1.33 or newer", problem, StringComparison.Ordinal);
        Assert.Contains("v1.28.4", problem, StringComparison.Ordinal);
        Assert.Null(old.ModelSourceProblem(TestServices.Pvc().Spec));
        Assert.Null(new ClusterCapabilities(new KubernetesVersion(1, 33), "v1.33.1").ModelSourceProblem(TestServices.Image().Spec));
    }

    [Fact]
    public void The_start_up_warning_names_what_the_server_lacks_and_is_absent_when_nothing_is()
    {
        var old = new ClusterCapabilities(new KubernetesVersion(1, 28), "v1.28.4");

        var warning = old.StartupWarning(preStopSleepSeconds: 5);

        Assert.NotNull(warning);
        Assert.StartsWith("The Kubernetes API server is v1.28.4: ", warning, StringComparison.Ordinal);
        Assert.Contains("no preStop sleep (the sleep action needs 1.30); its 5 s go to the drain", warning, StringComparison.Ordinal);
        Assert.Contains("image volumes need 1.33", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("preStop", old.StartupWarning(preStopSleepSeconds: 0)!, StringComparison.Ordinal);
        Assert.Null(ClusterCapabilities.Newest.StartupWarning(preStopSleepSeconds: 5));
    }
}
