using k8s.Models;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class ConditionSetTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddMinutes(5);

    private static V1Condition Ready(string status, string reason = "R", string? message = "m", long? generation = 1) =>
        new() { Type = "Ready", Status = status, Reason = reason, Message = message, ObservedGeneration = generation };

    [Fact]
    public void A_new_condition_is_added_with_now_as_transition_time()
    {
        var list = new List<V1Condition>();

        Assert.True(ConditionSet.Set(list, Ready("True"), T0));

        var added = Assert.Single(list);
        Assert.Equal(T0, added.LastTransitionTime);
        Assert.Equal(("True", "R", "m", 1L), (added.Status, added.Reason, added.Message, added.ObservedGeneration));
    }

    [Fact]
    public void Setting_the_same_condition_again_changes_nothing()
    {
        var list = new List<V1Condition>();
        ConditionSet.Set(list, Ready("True"), T0);

        Assert.False(ConditionSet.Set(list, Ready("True"), T1));
        Assert.Equal(T0, list[0].LastTransitionTime);
    }

    [Theory]
    [InlineData("True", "Other", "m", 1)]
    [InlineData("True", "R", "other", 1)]
    [InlineData("True", "R", "m", 2)]
    public void Reason_message_or_generation_change_in_place_without_a_transition(string status, string reason, string message, long generation)
    {
        var list = new List<V1Condition>();
        ConditionSet.Set(list, Ready("True"), T0);

        Assert.True(ConditionSet.Set(list, Ready(status, reason, message, generation), T1));

        Assert.Equal(T0, list[0].LastTransitionTime);
        Assert.Equal((reason, message, generation), (list[0].Reason, list[0].Message, list[0].ObservedGeneration!.Value));
    }

    [Fact]
    public void A_status_flip_moves_the_transition_time()
    {
        var list = new List<V1Condition>();
        ConditionSet.Set(list, Ready("True"), T0);

        Assert.True(ConditionSet.Set(list, Ready("False"), T1));

        Assert.Equal(("False", T1), (list[0].Status, list[0].LastTransitionTime));
    }

    [Fact]
    public void A_given_transition_time_is_kept()
    {
        var list = new List<V1Condition>();
        var condition = Ready("True");
        condition.LastTransitionTime = T0.AddDays(-1);

        ConditionSet.Set(list, condition, T0);

        Assert.Equal(T0.AddDays(-1), list[0].LastTransitionTime);
    }

    [Fact]
    public void A_missing_message_is_stored_empty_because_the_api_requires_it()
    {
        var list = new List<V1Condition>();

        ConditionSet.Set(list, Ready("True", message: null), T0);

        Assert.Equal("", list[0].Message);
        Assert.False(ConditionSet.Set(list, Ready("True", message: null), T1));
    }

    [Fact]
    public void Conditions_of_other_types_are_left_alone_and_can_be_found_and_removed()
    {
        var list = new List<V1Condition>();
        ConditionSet.Set(list, Ready("True"), T0);
        ConditionSet.Set(list, new V1Condition { Type = "Degraded", Status = "False", Reason = "AsExpected" }, T0);

        ConditionSet.Set(list, Ready("False"), T1);

        Assert.Equal(T0, ConditionSet.Find(list, "Degraded")!.LastTransitionTime);
        Assert.False(ConditionSet.IsTrue(list, "Ready"));
        Assert.True(ConditionSet.Remove(list, "Degraded"));
        Assert.False(ConditionSet.Remove(list, "Degraded"));
        Assert.Single(list);
    }

    [Fact]
    public void A_condition_without_type_reason_or_status_is_refused()
    {
        var list = new List<V1Condition>();
        Assert.ThrowsAny<ArgumentException>(() => ConditionSet.Set(list, new V1Condition { Type = "Ready", Status = "True" }, T0));
        Assert.ThrowsAny<ArgumentException>(() => ConditionSet.Set(list, new V1Condition { Type = "", Status = "True", Reason = "R" }, T0));
        Assert.ThrowsAny<ArgumentException>(() => ConditionSet.Set(list, new V1Condition { Type = "Ready", Reason = "R" }, T0));
    }
}
