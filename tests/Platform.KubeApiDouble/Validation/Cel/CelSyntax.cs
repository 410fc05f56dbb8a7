namespace Platform.KubeApiDouble.Validation.Cel;

/// <summary>A CEL construct outside the supported subset; the rule is reported as not evaluated.</summary>
internal sealed class CelUnsupportedException(string message) : Exception(message);

/// <summary>A rule failed at run time (missing key, wrong type); reported as a validation error, as the server does.</summary>
internal sealed class CelEvaluationException(string message) : Exception(message);

internal abstract record CelExpr;

internal sealed record CelLiteral(object? Value) : CelExpr;

internal sealed record CelIdent(string Name) : CelExpr;

internal sealed record CelSelect(CelExpr Target, string Field) : CelExpr;

internal sealed record CelIndex(CelExpr Target, CelExpr Key) : CelExpr;

internal sealed record CelCall(CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args) : CelExpr;

internal sealed record CelUnary(string Operator, CelExpr Operand) : CelExpr;

internal sealed record CelBinary(string Operator, CelExpr Left, CelExpr Right) : CelExpr;

internal sealed record CelConditional(CelExpr Condition, CelExpr Then, CelExpr Else) : CelExpr;

internal sealed record CelList(IReadOnlyList<CelExpr> Items) : CelExpr;

internal sealed record CelHas(CelSelect Target) : CelExpr;

/// <summary><c>all</c>, <c>exists</c>, <c>exists_one</c> over a list's items or a map's keys.</summary>
internal sealed record CelComprehension(CelExpr Range, string Macro, string Variable, CelExpr Body) : CelExpr;

internal enum CelTokenKind
{
    Int,
    Double,
    String,
    Identifier,
    Operator,
    End,
}

internal sealed record CelToken(CelTokenKind Kind, string Text, object? Value = null);
