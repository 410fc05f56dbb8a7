using k8s.Models;
using Platform.Operator.Autoscaling.Actuation;

namespace Platform.Autoscaling.Tests.Actuation;

public sealed class PodStartTimeTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(double? readyAfterSeconds, string status = "True") => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", CreationTimestamp = T0 },
        Status = new V1PodStatus
        {
            Conditions = readyAfterSeconds is { } s
                ? [new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = T0.AddSeconds(1) }, new V1PodCondition { Type = "Ready", Status = status, LastTransitionTime = T0.AddSeconds(s) }]
                : [],
        },
    };

    [Fact]
    public void The_median_creation_to_ready_time_of_the_ready_pods()
    {
        Assert.Equal(TimeSpan.FromSeconds(40), PodStartTime.Median([Pod(30), Pod(45), Pod(40)]));
        // An even count takes the lower middle.
        Assert.Equal(TimeSpan.FromSeconds(30), PodStartTime.Median([Pod(30), Pod(45)]));
    }

    [Fact]
    public void Pods_not_ready_and_restarts_long_after_creation_are_not_samples()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), PodStartTime.Median([Pod(20), Pod(null), Pod(5, status: "False"), Pod(3600)]));
        Assert.Null(PodStartTime.Median([Pod(null), Pod(5, status: "False")]));
        Assert.Null(PodStartTime.Median([]));
    }
}
