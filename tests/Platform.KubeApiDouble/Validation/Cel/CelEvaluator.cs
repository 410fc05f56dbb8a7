using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.KubeApiDouble.Validation.Cel;

/// <summary>
/// Evaluates a parsed expression. Values are <c>null</c>, <c>bool</c>, <c>long</c>, <c>double</c>,
/// <c>string</c>, lists (<c>List&lt;object?&gt;</c>) and maps (<c>JsonObject</c>).
/// </summary>
internal static class CelEvaluator
{
    public static object? Evaluate(CelExpr expr, IReadOnlyDictionary<string, object?> variables) => expr switch
    {
        CelLiteral literal => literal.Value,
        CelIdent ident => variables.TryGetValue(ident.Name, out var value) ? value : throw new CelEvaluationException($"undeclared reference to '{ident.Name}'"),
        CelSelect select => SelectField(Evaluate(select.Target, variables), select.Field),
        CelIndex index => IndexInto(Evaluate(index.Target, variables), Evaluate(index.Key, variables)),
        CelHas has => Evaluate(has.Target.Target, variables) is JsonObject map
            ? map.ContainsKey(has.Target.Field)
            : throw new CelEvaluationException($"has() on a non-object value"),
        CelUnary unary => EvaluateUnary(unary, variables),
        CelBinary binary => EvaluateBinary(binary, variables),
        CelConditional conditional => AsBool(Evaluate(conditional.Condition, variables))
            ? Evaluate(conditional.Then, variables)
            : Evaluate(conditional.Else, variables),
        CelList list => list.Items.Select(i => Evaluate(i, variables)).ToList(),
        CelCall call => EvaluateCall(call, variables),
        CelComprehension comprehension => EvaluateComprehension(comprehension, variables),
        _ => throw new CelEvaluationException("unsupported expression"),
    };

    /// <summary>The CEL value of a JSON node.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj,
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? l
                : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    private static object? SelectField(object? target, string field) => target switch
    {
        JsonObject map when map.TryGetPropertyValue(field, out var value) => FromJson(value),
        JsonObject => throw new CelEvaluationException($"no such key: {field}"),
        _ => throw new CelEvaluationException($"no such key: {field}"),
    };

    private static object? IndexInto(object? target, object? key) => (target, key) switch
    {
        (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
        (List<object?>, long i) => throw new CelEvaluationException($"index out of bounds: {i}"),
        (JsonObject map, string k) => SelectField(map, k),
        _ => throw new CelEvaluationException("no such overload for index"),
    };

    private static object? EvaluateUnary(CelUnary unary, IReadOnlyDictionary<string, object?> variables)
    {
        var operand = Evaluate(unary.Operand, variables);
        return unary.Operator switch
        {
            "!" => !AsBool(operand),
            _ => operand switch
            {
                long l => -l,
                double d => -d,
                _ => throw new CelEvaluationException("no such overload for -"),
            },
        };
    }

    private static object? EvaluateBinary(CelBinary binary, IReadOnlyDictionary<string, object?> variables)
    {
        if (binary.Operator is "&&" or "||")
        {
            return EvaluateLogical(binary, variables);
        }

        var left = Evaluate(binary.Left, variables);
        var right = Evaluate(binary.Right, variables);
        return binary.Operator switch
        {
            "==" => ValuesEqual(left, right),
            "!=" => !ValuesEqual(left, right),
            "<" => Compare(left, right) < 0,
            "<=" => Compare(left, right) <= 0,
            ">" => Compare(left, right) > 0,
            ">=" => Compare(left, right) >= 0,
            "in" => right switch
            {
                List<object?> list => list.Any(item => ValuesEqual(item, left)),
                JsonObject map when left is string key => map.ContainsKey(key),
                _ => throw new CelEvaluationException("no such overload for 'in'"),
            },
            _ => Arithmetic(binary.Operator, left, right),
        };
    }

    // CEL's logical operators are commutative over errors: an error on one side is absorbed
    // when the other side decides the result.
    private static object EvaluateLogical(CelBinary binary, IReadOnlyDictionary<string, object?> variables)
    {
        var decisive = binary.Operator == "||";
        CelEvaluationException? deferred = null;
        try
        {
            if (AsBool(Evaluate(binary.Left, variables)) == decisive)
            {
                return decisive;
            }
        }
        catch (CelEvaluationException e)
        {
            deferred = e;
        }

        var right = AsBool(Evaluate(binary.Right, variables));
        if (right == decisive)
        {
            return decisive;
        }

        return deferred is null ? !decisive : throw deferred;
    }

    private static object Arithmetic(string op, object? left, object? right)
    {
        switch (left, right)
        {
            case (long a, long b):
                return op switch
                {
                    "+" => a + b,
                    "-" => a - b,
                    "*" => a * b,
                    "/" => b == 0 ? throw new CelEvaluationException("division by zero") : a / b,
                    "%" => b == 0 ? throw new CelEvaluationException("modulus by zero") : a % b,
                    _ => throw new CelEvaluationException($"no such overload for {op}"),
                };
            case (long or double, long or double) when op != "%":
                var x = Convert.ToDouble(left, CultureInfo.InvariantCulture);
                var y = Convert.ToDouble(right, CultureInfo.InvariantCulture);
                return op switch
                {
                    "+" => x + y,
                    "-" => x - y,
                    "*" => x * y,
                    _ => x / y,
                };
            case (string a, string b) when op == "+":
                return a + b;
            case (List<object?> a, List<object?> b) when op == "+":
                return a.Concat(b).ToList();
            default:
                throw new CelEvaluationException($"no such overload for {op}");
        }
    }

    private static object? EvaluateCall(CelCall call, IReadOnlyDictionary<string, object?> variables)
    {
        var target = call.Target is null ? null : Evaluate(call.Target, variables);
        var args = call.Args.Select(a => Evaluate(a, variables)).ToList();
        if (call.Target is null)
        {
            if (args.Count != 1)
            {
                throw new CelEvaluationException($"{call.Function}() takes one argument");
            }

            target = args[0];
            args.Clear();
        }

        return (call.Function, target, args.Count) switch
        {
            ("size", string s, 0) => (long)s.EnumerateRunes().Count(),
            ("size", List<object?> list, 0) => (long)list.Count,
            ("size", JsonObject map, 0) => (long)map.Count,
            ("startsWith", string s, 1) when args[0] is string p => s.StartsWith(p, StringComparison.Ordinal),
            ("endsWith", string s, 1) when args[0] is string p => s.EndsWith(p, StringComparison.Ordinal),
            ("contains", string s, 1) when args[0] is string p => s.Contains(p, StringComparison.Ordinal),
            ("matches", string s, 1) when args[0] is string p => Regex.IsMatch(s, p, RegexOptions.None, TimeSpan.FromSeconds(1)),
            ("int", long l, 0) => l,
            ("int", double d, 0) => (long)d,
            ("int", string s, 0) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new CelEvaluationException($"cannot convert \"{s}\" to int"),
            ("double", long l, 0) => (double)l,
            ("double", double d, 0) => d,
            ("double", string s, 0) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new CelEvaluationException($"cannot convert \"{s}\" to double"),
            ("string", var value, 0) => value switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString(CultureInfo.InvariantCulture),
                _ => throw new CelEvaluationException("no such overload for string()"),
            },
            _ => throw new CelEvaluationException($"no such overload for {call.Function}()"),
        };
    }

    private static object EvaluateComprehension(CelComprehension comprehension, IReadOnlyDictionary<string, object?> variables)
    {
        IEnumerable<object?> range = Evaluate(comprehension.Range, variables) switch
        {
            List<object?> list => list,
            JsonObject map => map.Select(p => (object?)p.Key),
            _ => throw new CelEvaluationException($"{comprehension.Macro}() needs a list or a map"),
        };
        var scope = new Dictionary<string, object?>(variables);
        var matches = 0;
        foreach (var item in range)
        {
            scope[comprehension.Variable] = item;
            var result = AsBool(Evaluate(comprehension.Body, scope));
            switch (comprehension.Macro)
            {
                case "all" when !result:
                    return false;
                case "exists" when result:
                    return true;
                case "exists_one" when result:
                    matches++;
                    break;
            }
        }

        return comprehension.Macro switch
        {
            "all" => true,
            "exists" => false,
            _ => matches == 1,
        };
    }

    private static bool AsBool(object? value) =>
        value as bool? ?? throw new CelEvaluationException("no matching overload: expected a bool");

    private static bool ValuesEqual(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (long or double, long or double) => Convert.ToDouble(left, CultureInfo.InvariantCulture) == Convert.ToDouble(right, CultureInfo.InvariantCulture),
        (List<object?> a, List<object?> b) => a.Count == b.Count && a.Zip(b).All(p => ValuesEqual(p.First, p.Second)),
        (JsonObject a, JsonObject b) => Json.JsonNodeExtensions.JsonEquals(a, b),
        _ => Equals(left, right),
    };

    private static int Compare(object? left, object? right) => (left, right) switch
    {
        (long a, long b) => a.CompareTo(b),
        (long or double, long or double) => Convert.ToDouble(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(right, CultureInfo.InvariantCulture)),
        (string a, string b) => string.CompareOrdinal(a, b),
        (bool a, bool b) => a.CompareTo(b),
        _ => throw new CelEvaluationException("no such overload for comparison"),
    };
}
