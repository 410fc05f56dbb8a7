using System.Text;
using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Selectors;

internal enum LabelOperator
{
    Exists,
    DoesNotExist,
    Equals,
    NotEquals,
    In,
    NotIn,
    GreaterThan,
    LessThan,
}

internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Exists => present,
            LabelOperator.DoesNotExist => !present,
            LabelOperator.Equals or LabelOperator.In => present && Values.Contains(value),
            LabelOperator.NotEquals or LabelOperator.NotIn => !present || !Values.Contains(value),
            LabelOperator.GreaterThan => present && long.TryParse(value, out var g) && g > long.Parse(Values[0]),
            LabelOperator.LessThan => present && long.TryParse(value, out var l) && l < long.Parse(Values[0]),
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => "!" + Key,
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(",", Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        LabelOperator.GreaterThan => $"{Key}>{Values[0]}",
        _ => $"{Key}<{Values[0]}",
    };
}

/// <summary>A parsed label selector (<c>a=b,c!=d,e in (f,g),!h</c>); the empty selector matches everything.</summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <exception cref="FormatException">The text is not a valid selector.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parser = new Parser(text);
        var requirements = new List<LabelRequirement>();
        do
        {
            requirements.Add(parser.ParseRequirement());
        }
        while (parser.TryConsume(','));

        parser.ExpectEnd();
        return new LabelSelector(requirements);
    }

    /// <summary>The selector a <c>LabelSelector</c> object (<c>matchLabels</c>, <c>matchExpressions</c>) describes.</summary>
    /// <exception cref="FormatException">An expression has an unknown operator or wrong values.</exception>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        if (selector.ObjectAt("matchLabels") is { } matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                requirements.Add(new LabelRequirement(key, LabelOperator.Equals, [value?.GetValue<string>() ?? string.Empty]));
            }
        }

        if (selector.ArrayAt("matchExpressions") is { } expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression.StringAt("key") ?? throw new FormatException("matchExpressions entry without key");
                var values = expression.ArrayAt("values")?.Select(v => v?.GetValue<string>() ?? string.Empty).ToList() ?? [];
                var op = expression.StringAt("operator") switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    var other => throw new FormatException($"\"{other}\" is not a valid label selector operator"),
                };
                if (op is LabelOperator.In or LabelOperator.NotIn && values.Count == 0)
                {
                    throw new FormatException($"for 'in', 'notin' operators, values set can't be empty");
                }

                requirements.Add(new LabelRequirement(key, op, values));
            }
        }

        return new LabelSelector(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList());
    }

    public override string ToString() => string.Join(",", Requirements);

    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.ObjectAt("metadata")?.ObjectAt("labels") is { } map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value is JsonValue v ? v.ToString() : string.Empty;
            }
        }

        return labels;
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public LabelRequirement ParseRequirement()
        {
            SkipSpaces();
            if (TryConsume('!'))
            {
                return new LabelRequirement(ReadKey(), LabelOperator.DoesNotExist, []);
            }

            var key = ReadKey();
            SkipSpaces();
            if (AtEnd || Peek == ',')
            {
                return new LabelRequirement(key, LabelOperator.Exists, []);
            }

            if (TryConsume("!="))
            {
                return new LabelRequirement(key, LabelOperator.NotEquals, [ReadValue()]);
            }

            if (TryConsume("==") || TryConsume('='))
            {
                return new LabelRequirement(key, LabelOperator.Equals, [ReadValue()]);
            }

            if (TryConsume('>'))
            {
                return new LabelRequirement(key, LabelOperator.GreaterThan, [ReadInteger()]);
            }

            if (TryConsume('<'))
            {
                return new LabelRequirement(key, LabelOperator.LessThan, [ReadInteger()]);
            }

            var word = ReadWord();
            var op = word switch
            {
                "in" => LabelOperator.In,
                "notin" => LabelOperator.NotIn,
                _ => throw Error($"found '{word}', expected: '=', '!=', '==', 'in', notin'"),
            };
            SkipSpaces();
            if (!TryConsume('('))
            {
                throw Error("found end of set, expected: '('");
            }

            var values = new List<string>();
            do
            {
                var value = ReadValue();
                if (value.Length > 0)
                {
                    values.Add(value);
                }
            }
            while (TryConsume(','));

            SkipSpaces();
            if (!TryConsume(')'))
            {
                throw Error("expected: ')'");
            }

            return new LabelRequirement(key, op, values);
        }

        public bool TryConsume(char c)
        {
            SkipSpaces();
            if (!AtEnd && Peek == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (!AtEnd)
            {
                throw Error($"unexpected '{text[_position..]}'");
            }
        }

        private bool AtEnd => _position >= text.Length;

        private char Peek => text[_position];

        private bool TryConsume(string token)
        {
            SkipSpaces();
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) == 0)
            {
                _position += token.Length;
                return true;
            }

            return false;
        }

        private string ReadKey()
        {
            var key = ReadWord();
            if (key.Length == 0)
            {
                throw Error("key is empty");
            }

            return key;
        }

        private string ReadValue() => ReadWord();

        private string ReadInteger()
        {
            var value = ReadWord();
            return long.TryParse(value, out _) ? value : throw Error($"for 'Gt', 'Lt' operators, the value must be an integer, got '{value}'");
        }

        private string ReadWord()
        {
            SkipSpaces();
            var builder = new StringBuilder();
            while (!AtEnd && (char.IsLetterOrDigit(Peek) || Peek is '-' or '_' or '.' or '/'))
            {
                builder.Append(Peek);
                _position++;
            }

            return builder.ToString();
        }

        private void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Peek))
            {
                _position++;
            }
        }

        private FormatException Error(string detail) =>
            new($"unable to parse requirement: {detail} in label selector \"{text}\"");
    }
}
