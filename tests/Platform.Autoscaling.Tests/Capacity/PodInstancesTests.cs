using CsCheck;
using Platform.Operator.Autoscaling.Capacity;

namespace Platform.Autoscaling.Tests.Capacity;

public sealed class PodInstancesTests
{
    public static TheoryData<int?[], int?, int> Cases() => new()
    {
        // reported by the pods, spec.serving.instances, resolved
        { [2, 2, 4], null, 2 },
        { [4, 1, 4], 1, 4 },
        { [2, 4], null, 2 },          // even count: the lower middle (less capacity, more pods)
        { [1, 2, 4, 8], 3, 2 },
        { [3], 1, 3 },                // the pods' own layout beats the spec
        { [], 3, 3 },                 // no reports yet: the spec
        { [null, 0], 5, 5 },          // 0 and missing are not reports (model not loaded; old pod)
        { [], null, 1 },              // neither: one instance
        { [null], 0, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pods_median_then_the_spec_then_one(int?[] reported, int? configured, int expected)
    {
        Assert.Equal(expected, PodInstances.Resolve(reported, configured));
    }

    [Fact]
    public void Reports_decide_within_their_range_and_never_below_one()
    {
        Gen.Select(Gen.Int[0, 16].Nullable().Array[0, 12], Gen.Int[-2, 16].Nullable()).Sample((reported, configured) =>
        {
            var result = PodInstances.Resolve(reported, configured);
            var valid = reported.OfType<int>().Where(c => c >= 1).ToList();
            return result >= 1 && (valid.Count == 0
                ? result == (configured is >= 1 ? configured.Value : 1)
                : result >= valid.Min() && result <= valid.Max() && valid.Count(c => c <= result) * 2 >= valid.Count);
        }, iter: 500);
    }
}
