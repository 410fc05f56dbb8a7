using k8s.Models;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class DesiredHashTests
{
    private static V1ConfigMap Map(params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = "m", Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } },
        Data = data.ToDictionary(d => d.Key, d => d.Value),
    };

    [Fact]
    public void Stamping_records_the_hash_of_the_object_without_its_own_annotation()
    {
        var stamped = DesiredHash.Stamp(Map(("k", "v")));

        Assert.Equal(DesiredHash.Compute(Map(("k", "v"))), DesiredHash.Of(stamped));
        Assert.Equal(DesiredHash.Of(stamped), DesiredHash.Compute(stamped));
    }

    [Fact]
    public void Hash_ignores_map_order_and_sees_every_value()
    {
        var reordered = Map(("y", "2"), ("x", "1"));
        reordered.Metadata.Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };

        Assert.Equal(DesiredHash.Compute(Map(("x", "1"), ("y", "2"))), DesiredHash.Compute(reordered));
        Assert.NotEqual(DesiredHash.Compute(Map(("x", "1"))), DesiredHash.Compute(Map(("x", "2"))));
    }

    [Fact]
    public void Apply_is_needed_only_when_the_observed_object_is_missing_deleting_or_of_another_hash()
    {
        var desired = DesiredHash.Stamp(Map(("k", "v")));
        var applied = DesiredHash.Stamp(Map(("k", "v")));
        // What the server returns: extra fields and annotations of its own, same hash.
        applied.Metadata.ResourceVersion = "42";
        applied.Metadata.Annotations["deployment.kubernetes.io/revision"] = "3";

        Assert.True(DesiredHash.NeedsApply(desired, null));
        Assert.False(DesiredHash.NeedsApply(desired, applied));
        Assert.True(DesiredHash.NeedsApply(desired, Map(("k", "v"))));
        Assert.True(DesiredHash.NeedsApply(desired, DesiredHash.Stamp(Map(("k", "old")))));
        applied.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.True(DesiredHash.NeedsApply(desired, applied));
    }

    [Fact]
    public void An_unstamped_desired_object_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => DesiredHash.NeedsApply(Map(), null));
    }

    [Fact]
    public void Steady_state_reconcile_needs_no_apply_and_a_spec_change_does()
    {
        var first = TestServices.Build(TestServices.Pvc());
        var again = TestServices.Build(TestServices.Pvc());
        var rescaled = TestServices.Build(TestServices.Pvc(), replicas: 3);

        Assert.False(DesiredHash.NeedsApply(again.Deployment, first.Deployment));
        Assert.False(DesiredHash.NeedsApply(again.Service, first.Service));
        Assert.True(DesiredHash.NeedsApply(rescaled.Deployment, first.Deployment));
        Assert.False(DesiredHash.NeedsApply(rescaled.PodDisruptionBudget, first.PodDisruptionBudget));
    }

    [Theory]
    [InlineData(3L, 2L, true)]   // someone changed the spec after the operator's apply
    [InlineData(2L, 2L, false)]  // as applied
    [InlineData(1L, 2L, false)]  // the cache has not seen the apply yet
    [InlineData(3L, null, false)] // nothing recorded (just started): this becomes the baseline
    [InlineData(null, 2L, false)]
    public void Only_a_generation_past_the_applied_one_is_an_out_of_band_change(long? observed, long? applied, bool changed) =>
        Assert.Equal(changed, DesiredHash.ChangedOutOfBand(observed, applied));
}
