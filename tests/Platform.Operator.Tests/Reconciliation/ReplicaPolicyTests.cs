using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class ReplicaPolicyTests
{
    [Theory]
    // Builtin: decision, else current Deployment, else min; clamped to [min, max].
    [InlineData(AutoscalingMode.Builtin, 1, 4, null, 3, 2, 3)]
    [InlineData(AutoscalingMode.Builtin, 1, 4, null, null, 2, 2)]
    [InlineData(AutoscalingMode.Builtin, 2, 4, null, null, null, 2)]
    [InlineData(AutoscalingMode.Builtin, 1, 4, null, 9, null, 4)]
    [InlineData(AutoscalingMode.Builtin, 1, 4, null, null, 6, 4)]
    [InlineData(AutoscalingMode.Builtin, 3, 4, null, null, 1, 3)]
    [InlineData(AutoscalingMode.Builtin, 1, 4, 7, null, null, 1)]
    // External and Off: spec.replicas, else max(1, min); the decision and current count do not matter.
    [InlineData(AutoscalingMode.External, 1, 4, 6, 2, 3, 6)]
    [InlineData(AutoscalingMode.External, 0, 4, 0, null, 3, 0)]
    [InlineData(AutoscalingMode.External, 0, 4, null, null, 3, 1)]
    [InlineData(AutoscalingMode.Off, 2, 4, null, 3, null, 2)]
    [InlineData(AutoscalingMode.Off, 1, 4, 10, null, null, 10)]
    public void Desired_replicas(AutoscalingMode mode, int min, int max, int? specReplicas, int? decision, int? current, int expected)
    {
        var spec = new InferenceServiceSpec
        {
            Replicas = specReplicas,
            Autoscaling = new AutoscalingSpec { Mode = mode, MinReplicas = min, MaxReplicas = max },
        };

        Assert.Equal(expected, ReplicaPolicy.DesiredReplicas(spec, decision, current));
    }

    [Fact]
    public void An_inverted_range_does_not_throw_and_min_wins()
    {
        var spec = new InferenceServiceSpec { Autoscaling = new AutoscalingSpec { MinReplicas = 5, MaxReplicas = 2 } };

        Assert.Equal(5, ReplicaPolicy.DesiredReplicas(spec, 3, null));
    }
}
