namespace Platform.KubeApiDouble.Validation.Cel;

/// <summary>
/// Parses the supported CEL subset: literals, <c>self</c>/<c>oldSelf</c> field access and indexing,
/// arithmetic, comparisons, <c>in</c>, logic, the conditional operator, <c>has()</c>, <c>size()</c>,
/// string functions, <c>int()</c>/<c>double()</c>/<c>string()</c> and the <c>all</c>/<c>exists</c>/<c>exists_one</c> macros.
/// Anything else throws <see cref="CelUnsupportedException"/>.
/// </summary>
internal sealed class CelParser
{
    private static readonly HashSet<string> GlobalFunctions = ["size", "int", "double", "string"];
    private static readonly HashSet<string> MemberFunctions = ["size", "startsWith", "endsWith", "contains", "matches"];
    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one"];

    private readonly List<CelToken> _tokens;
    private readonly HashSet<string> _variables = ["self", "oldSelf"];
    private int _position;

    private CelParser(string text) => _tokens = CelLexer.Tokenize(text);

    public static CelExpr Parse(string text)
    {
        var parser = new CelParser(text);
        var expr = parser.ParseConditional();
        if (parser.Current.Kind != CelTokenKind.End)
        {
            throw new CelUnsupportedException($"unexpected '{parser.Current.Text}'");
        }

        return expr;
    }

    /// <summary>Whether the expression reads <c>oldSelf</c> (a transition rule, only checked on update).</summary>
    public static bool UsesOldSelf(CelExpr expr) => expr switch
    {
        CelIdent ident => ident.Name == "oldSelf",
        CelSelect select => UsesOldSelf(select.Target),
        CelIndex index => UsesOldSelf(index.Target) || UsesOldSelf(index.Key),
        CelCall call => (call.Target is not null && UsesOldSelf(call.Target)) || call.Args.Any(UsesOldSelf),
        CelUnary unary => UsesOldSelf(unary.Operand),
        CelBinary binary => UsesOldSelf(binary.Left) || UsesOldSelf(binary.Right),
        CelConditional conditional => UsesOldSelf(conditional.Condition) || UsesOldSelf(conditional.Then) || UsesOldSelf(conditional.Else),
        CelList list => list.Items.Any(UsesOldSelf),
        CelHas has => UsesOldSelf(has.Target),
        CelComprehension comprehension => UsesOldSelf(comprehension.Range) || UsesOldSelf(comprehension.Body),
        _ => false,
    };

    private CelToken Current => _tokens[_position];

    private CelExpr ParseConditional()
    {
        var condition = ParseOr();
        if (!TryOperator("?"))
        {
            return condition;
        }

        var then = ParseConditional();
        ExpectOperator(":");
        return new CelConditional(condition, then, ParseConditional());
    }

    private CelExpr ParseOr()
    {
        var left = ParseAnd();
        while (TryOperator("||"))
        {
            left = new CelBinary("||", left, ParseAnd());
        }

        return left;
    }

    private CelExpr ParseAnd()
    {
        var left = ParseRelation();
        while (TryOperator("&&"))
        {
            left = new CelBinary("&&", left, ParseRelation());
        }

        return left;
    }

    private CelExpr ParseRelation()
    {
        var left = ParseAdditive();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (TryOperator(op))
            {
                return new CelBinary(op, left, ParseAdditive());
            }
        }

        if (Current is { Kind: CelTokenKind.Identifier, Text: "in" })
        {
            _position++;
            return new CelBinary("in", left, ParseAdditive());
        }

        return left;
    }

    private CelExpr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            if (TryOperator("+"))
            {
                left = new CelBinary("+", left, ParseMultiplicative());
            }
            else if (TryOperator("-"))
            {
                left = new CelBinary("-", left, ParseMultiplicative());
            }
            else
            {
                return left;
            }
        }
    }

    private CelExpr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            var op = new[] { "*", "/", "%" }.FirstOrDefault(TryOperator);
            if (op is null)
            {
                return left;
            }

            left = new CelBinary(op, left, ParseUnary());
        }
    }

    private CelExpr ParseUnary()
    {
        if (TryOperator("!"))
        {
            return new CelUnary("!", ParseUnary());
        }

        if (TryOperator("-"))
        {
            return new CelUnary("-", ParseUnary());
        }

        return ParseMember();
    }

    private CelExpr ParseMember()
    {
        var expr = ParsePrimary();
        while (true)
        {
            if (TryOperator("."))
            {
                var name = ExpectIdentifier();
                if (!TryOperator("("))
                {
                    expr = new CelSelect(expr, name);
                    continue;
                }

                if (Macros.Contains(name))
                {
                    var variable = ExpectIdentifier();
                    ExpectOperator(",");
                    var added = _variables.Add(variable);
                    var body = ParseConditional();
                    if (added)
                    {
                        _variables.Remove(variable);
                    }

                    ExpectOperator(")");
                    expr = new CelComprehension(expr, name, variable, body);
                    continue;
                }

                if (!MemberFunctions.Contains(name))
                {
                    throw new CelUnsupportedException($"function '{name}'");
                }

                expr = new CelCall(expr, name, ParseArguments());
            }
            else if (TryOperator("["))
            {
                var key = ParseConditional();
                ExpectOperator("]");
                expr = new CelIndex(expr, key);
            }
            else
            {
                return expr;
            }
        }
    }

    private CelExpr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case CelTokenKind.Int or CelTokenKind.Double or CelTokenKind.String:
                _position++;
                return new CelLiteral(token.Value);
            case CelTokenKind.Identifier:
                _position++;
                return ParseIdentifier(token.Text);
            case CelTokenKind.Operator when token.Text == "(":
                _position++;
                var inner = ParseConditional();
                ExpectOperator(")");
                return inner;
            case CelTokenKind.Operator when token.Text == "[":
                _position++;
                var items = new List<CelExpr>();
                if (!TryOperator("]"))
                {
                    do
                    {
                        items.Add(ParseConditional());
                    }
                    while (TryOperator(","));

                    ExpectOperator("]");
                }

                return new CelList(items);
            default:
                throw new CelUnsupportedException($"unexpected '{token.Text}'");
        }
    }

    private CelExpr ParseIdentifier(string name)
    {
        switch (name)
        {
            case "true":
                return new CelLiteral(true);
            case "false":
                return new CelLiteral(false);
            case "null":
                return new CelLiteral(null);
        }

        if (TryOperator("("))
        {
            if (name == "has")
            {
                var target = ParseConditional();
                ExpectOperator(")");
                return target is CelSelect select
                    ? new CelHas(select)
                    : throw new CelUnsupportedException("has() needs a field selection such as has(self.field)");
            }

            if (!GlobalFunctions.Contains(name))
            {
                throw new CelUnsupportedException($"function '{name}'");
            }

            return new CelCall(null, name, ParseArguments());
        }

        return _variables.Contains(name) ? new CelIdent(name) : throw new CelUnsupportedException($"identifier '{name}'");
    }

    // Called after the opening parenthesis.
    private List<CelExpr> ParseArguments()
    {
        var args = new List<CelExpr>();
        if (TryOperator(")"))
        {
            return args;
        }

        do
        {
            args.Add(ParseConditional());
        }
        while (TryOperator(","));

        ExpectOperator(")");
        return args;
    }

    private bool TryOperator(string op)
    {
        if (Current.Kind == CelTokenKind.Operator && Current.Text == op)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void ExpectOperator(string op)
    {
        if (!TryOperator(op))
        {
            throw new CelUnsupportedException($"expected '{op}' but found '{Current.Text}'");
        }
    }

    private string ExpectIdentifier()
    {
        if (Current.Kind != CelTokenKind.Identifier)
        {
            throw new CelUnsupportedException($"expected an identifier but found '{Current.Text}'");
        }

        return _tokens[_position++].Text;
    }
}
