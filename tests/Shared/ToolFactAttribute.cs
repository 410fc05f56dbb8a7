namespace Platform.Tests.Shared;

/// <summary>A fact that drives the named programs: skipped, with the reason, where one is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] programs)
    {
        if (TestPrograms.MissingReason(programs) is { } reason) Skip = reason;
    }
}

/// <summary>A theory that drives the named programs: skipped, with the reason, where one is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] programs)
    {
        if (TestPrograms.MissingReason(programs) is { } reason) Skip = reason;
    }
}
