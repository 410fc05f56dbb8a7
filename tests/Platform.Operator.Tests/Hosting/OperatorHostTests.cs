using Platform.Operator.Hosting;

namespace Platform.Operator.Tests.Hosting;

public sealed class OperatorHostTests
{
    [Theory]
    [InlineData("--Operator:Workers=0", "Operator:Workers must be between 1 and 64 (got 0)")]
    [InlineData("--Operator:ResyncSeconds=0", "Operator:ResyncSeconds must be between 1 and 86400")]
    [InlineData("--Operator:DefaultImage= ", "Operator:DefaultImage is required")]
    [InlineData("--Operator:Workres=3", "Workres")]
    [InlineData("--Operator:Workers=many", "Operator:Workers")]
    public void A_bad_setting_stops_start_up_with_one_line_naming_it(string setting, string expected)
    {
        var error = Assert.Throws<OperatorStartupException>(() => OperatorHost.Build(["--Kubernetes:Host=http://127.0.0.1:1", setting]));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Leader_election_timing_that_cannot_renew_in_time_is_refused()
    {
        var error = Assert.Throws<OperatorStartupException>(() => OperatorHost.Build([
            "--Kubernetes:Host=http://127.0.0.1:1", "--Operator:LeaderElection:Enabled=true",
            "--Operator:LeaderElection:LeaseDurationSeconds=10", "--Operator:LeaderElection:RenewDeadlineSeconds=10"]));
        Assert.Contains("LeaseDurationSeconds (10) must be greater than RenewDeadlineSeconds (10)", error.Message);
    }

    [Fact]
    public void A_missing_kubeconfig_is_one_clear_line()
    {
        var error = Assert.Throws<OperatorStartupException>(() => OperatorHost.Build(["--kubeconfig=/nowhere/config"]));
        Assert.Contains("no usable Kubernetes configuration", error.Message);
    }
}
