using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class ReconcileSettingsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(TestServices.Settings.Validate());
    }

    [Fact]
    public void Every_bad_setting_is_listed()
    {
        var settings = new ReconcileSettings
        {
            DefaultImage = " ",
            FieldManager = "",
            ModelMountPath = "models/",
            ClusterDomain = "",
            PreStopSleepSeconds = -1,
            TerminationGraceMarginSeconds = 1000,
            StartupTimeoutSeconds = 1,
            RevisionHistoryLimit = -1,
            RunAsUser = 0,
            TmpSizeLimit = "lots",
        };

        var errors = settings.Validate();

        Assert.Equal(
            ["DefaultImage", "FieldManager", "ModelMountPath", "ClusterDomain", "PreStopSleepSeconds", "TerminationGraceMarginSeconds",
             "StartupTimeoutSeconds", "RevisionHistoryLimit", "RunAsUser", "TmpSizeLimit"],
            errors.Select(e => e.Split(':')[0]));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/tmp")]
    [InlineData("/models/")]
    public void Model_mount_path_must_be_a_dedicated_absolute_directory(string path)
    {
        Assert.Single(new ReconcileSettings { DefaultImage = "i", ModelMountPath = path }.Validate());
    }
}
