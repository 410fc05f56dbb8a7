using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Condition list helpers with the semantics of apimachinery's meta.SetStatusCondition:
/// lastTransitionTime moves only when the status flips; reason, message and
/// observedGeneration are updated in place; every call reports whether anything changed.
/// </summary>
public static class ConditionSet
{
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == ConditionStatus.True;

    /// <summary>
    /// Adds or updates the condition of <paramref name="condition"/>'s type. A new condition,
    /// or one whose status flips, gets <paramref name="now"/> as lastTransitionTime unless
    /// <paramref name="condition"/> carries one. A null message is stored as "" (the API
    /// requires the field).
    /// </summary>
    /// <returns>Whether the list changed.</returns>
    public static bool Set(IList<V1Condition> conditions, V1Condition condition, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentException.ThrowIfNullOrEmpty(condition.Type);
        ArgumentException.ThrowIfNullOrEmpty(condition.Reason);
        ArgumentException.ThrowIfNullOrEmpty(condition.Status);

        var message = condition.Message ?? "";
        var transitionTime = condition.LastTransitionTime == default ? now : condition.LastTransitionTime;
        var existing = Find(conditions, condition.Type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = condition.Type,
                Status = condition.Status,
                Reason = condition.Reason,
                Message = message,
                ObservedGeneration = condition.ObservedGeneration,
                LastTransitionTime = transitionTime,
            });
            return true;
        }

        var changed = false;
        if (existing.Status != condition.Status)
        {
            existing.Status = condition.Status;
            existing.LastTransitionTime = transitionTime;
            changed = true;
        }
        if (existing.Reason != condition.Reason)
        {
            existing.Reason = condition.Reason;
            changed = true;
        }
        if ((existing.Message ?? "") != message || existing.Message is null)
        {
            existing.Message = message;
            changed = true;
        }
        if (existing.ObservedGeneration != condition.ObservedGeneration)
        {
            existing.ObservedGeneration = condition.ObservedGeneration;
            changed = true;
        }
        return changed;
    }

    /// <summary>Removes the condition of that type; reports whether one was there.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }
}
