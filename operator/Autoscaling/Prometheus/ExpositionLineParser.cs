using System.Globalization;
using System.Text;

namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>The meaning of one line of the text format.</summary>
internal enum ExpositionLineKind
{
    Blank,
    Comment,
    Help,
    Type,
    Sample,
}

/// <summary>One parsed line: which fields are set depends on <see cref="Kind"/>.</summary>
internal readonly record struct ExpositionLine(
    ExpositionLineKind Kind,
    string? MetricName = null,
    string? Help = null,
    MetricType Type = MetricType.Untyped,
    MetricSample? Sample = null);

/// <summary>
/// Parses a single line of the Prometheus text exposition format (0.0.4), the line
/// terminator already removed. Throws <see cref="ExpositionFormatException"/> with the line
/// number and what was expected.
/// </summary>
internal ref struct ExpositionLineParser
{
    private readonly ReadOnlySpan<char> _line;
    private readonly int _lineNumber;
    private int _pos;

    private ExpositionLineParser(ReadOnlySpan<char> line, int lineNumber)
    {
        _line = line;
        _lineNumber = lineNumber;
        _pos = 0;
    }

    public static ExpositionLine Parse(ReadOnlySpan<char> line, int lineNumber) =>
        new ExpositionLineParser(line, lineNumber).ParseLine();

    private ExpositionLine ParseLine()
    {
        SkipBlanks();
        if (AtEnd)
        {
            return new ExpositionLine(ExpositionLineKind.Blank);
        }

        return Current == '#' ? ParseCommentLine() : new ExpositionLine(ExpositionLineKind.Sample, Sample: ParseSample());
    }

    private ExpositionLine ParseCommentLine()
    {
        _pos++; // '#'
        SkipBlanks();
        var keyword = ReadToken();
        var isHelp = keyword.SequenceEqual("HELP");
        var isType = keyword.SequenceEqual("TYPE");
        if (!isHelp && !isType)
        {
            return new ExpositionLine(ExpositionLineKind.Comment);
        }

        if (!SkipBlanks())
        {
            throw Error($"expected a metric name after '# {keyword}'");
        }

        var name = ReadMetricName();
        if (isHelp)
        {
            // The docstring is everything after one separating blank, escapes resolved.
            var help = string.Empty;
            if (!AtEnd)
            {
                if (!IsBlank(Current))
                {
                    throw Error($"unexpected character '{Current}' after metric name '{name}' in HELP");
                }

                _pos++;
                help = UnescapeHelp(_line[_pos..]);
            }

            return new ExpositionLine(ExpositionLineKind.Help, MetricName: name, Help: help);
        }

        if (!SkipBlanks())
        {
            throw Error($"expected a metric type after '# TYPE {name}'");
        }

        var typeToken = ReadToken();
        var type = typeToken switch
        {
            "counter" => MetricType.Counter,
            "gauge" => MetricType.Gauge,
            "histogram" => MetricType.Histogram,
            "summary" => MetricType.Summary,
            "untyped" => MetricType.Untyped,
            _ => throw Error($"unknown metric type '{typeToken}' for '{name}' (expected counter, gauge, histogram, summary or untyped)"),
        };
        SkipBlanks();
        if (!AtEnd)
        {
            throw Error($"unexpected text after the type of '{name}'");
        }

        return new ExpositionLine(ExpositionLineKind.Type, MetricName: name, Type: type);
    }

    private MetricSample ParseSample()
    {
        var name = ReadMetricName();
        var separated = SkipBlanks();
        var labels = LabelSet.Empty;
        if (!AtEnd && Current == '{')
        {
            labels = ReadLabels(name);
            separated = SkipBlanks();
        }

        if (!separated || AtEnd)
        {
            throw AtEnd
                ? Error($"sample '{name}' has no value")
                : Error($"unexpected character '{Current}' after '{name}'; expected a blank and the value");
        }

        var valueToken = ReadToken();
        if (valueToken.IsEmpty)
        {
            throw Error($"sample '{name}' has no value");
        }

        var value = ParseValue(valueToken, name);
        long? timestamp = null;
        if (SkipBlanks() && !AtEnd)
        {
            var timestampToken = ReadToken();
            if (!long.TryParse(timestampToken, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts))
            {
                throw Error($"invalid timestamp '{timestampToken}' for '{name}' (expected integer milliseconds)");
            }

            timestamp = ts;
            SkipBlanks();
        }

        if (!AtEnd)
        {
            throw Error($"unexpected text '{_line[_pos..]}' after the sample '{name}'");
        }

        return new MetricSample(name, labels, value, timestamp);
    }

    private LabelSet ReadLabels(string metricName)
    {
        _pos++; // '{'
        var labels = new List<Label>();
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                throw Error($"unterminated label set of '{metricName}' (missing '}}')");
            }

            if (Current == '}')
            {
                _pos++;
                return labels.Count == 0 ? LabelSet.Empty : new LabelSet(labels);
            }

            var labelName = ReadLabelName(metricName);
            SkipBlanks();
            Expect('=', $"expected '=' after label name '{labelName}' of '{metricName}'");
            SkipBlanks();
            Expect('"', $"expected '\"' to open the value of label '{labelName}' of '{metricName}'");
            var labelValue = ReadLabelValue(labelName);
            foreach (var existing in labels)
            {
                if (existing.Name == labelName)
                {
                    throw Error($"label '{labelName}' appears more than once in '{metricName}'");
                }
            }

            labels.Add(new Label(labelName, labelValue));
            SkipBlanks();
            if (AtEnd)
            {
                throw Error($"unterminated label set of '{metricName}' (missing '}}')");
            }

            if (Current == ',')
            {
                _pos++;
                continue;
            }

            if (Current != '}')
            {
                throw Error($"expected ',' or '}}' after the value of label '{labelName}' of '{metricName}', found '{Current}'");
            }
        }
    }

    private string ReadLabelValue(string labelName)
    {
        var builder = new StringBuilder();
        while (!AtEnd)
        {
            var c = Current;
            _pos++;
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (AtEnd)
            {
                break;
            }

            var escaped = Current;
            _pos++;
            builder.Append(escaped switch
            {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                _ => throw Error($"invalid escape sequence '\\{escaped}' in the value of label '{labelName}' (allowed: \\\\, \\\", \\n)"),
            });
        }

        throw Error($"unterminated value of label '{labelName}' (missing closing '\"')");
    }

    private static string UnescapeHelp(ReadOnlySpan<char> text)
    {
        if (!text.Contains('\\'))
        {
            return text.ToString();
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '\\' || text[i + 1] == 'n'))
            {
                builder.Append(text[i + 1] == 'n' ? '\n' : '\\');
                i++;
            }
            else
            {
                // Other backslashes are kept as written: HELP text is informational, and a
                // lone backslash in it is no reason to drop a pod's metrics.
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private double ParseValue(ReadOnlySpan<char> token, string name)
    {
        // Go's ParseFloat (which the format refers to) accepts Inf and NaN in any case,
        // with an optional sign on Inf.
        var unsigned = token[0] is '+' or '-' ? token[1..] : token;
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        if (IsPlainNumber(token) && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw Error($"invalid value '{token}' for '{name}' (expected a number, +Inf, -Inf or NaN)");
    }

    /// <summary>Digits, sign, point and exponent only: no culture symbols or spelled-out words.</summary>
    private static bool IsPlainNumber(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (!(char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E'))
            {
                return false;
            }
        }

        return true;
    }

    private string ReadMetricName()
    {
        var start = _pos;
        if (AtEnd || !(char.IsAsciiLetter(Current) || Current is '_' or ':'))
        {
            throw AtEnd ? Error("expected a metric name") : Error($"invalid metric name starting with '{Current}'");
        }

        _pos++;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current is '_' or ':'))
        {
            _pos++;
        }

        return _line[start.._pos].ToString();
    }

    private string ReadLabelName(string metricName)
    {
        var start = _pos;
        if (!(char.IsAsciiLetter(Current) || Current == '_'))
        {
            throw Error($"invalid label name starting with '{Current}' in '{metricName}'");
        }

        _pos++;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
        {
            _pos++;
        }

        return _line[start.._pos].ToString();
    }

    private ReadOnlySpan<char> ReadToken()
    {
        var start = _pos;
        while (!AtEnd && !IsBlank(Current))
        {
            _pos++;
        }

        return _line[start.._pos];
    }

    private void Expect(char expected, string message)
    {
        if (AtEnd || Current != expected)
        {
            throw Error(message);
        }

        _pos++;
    }

    /// <summary>Skips spaces and tabs; true when at least one was skipped.</summary>
    private bool SkipBlanks()
    {
        var start = _pos;
        while (!AtEnd && IsBlank(Current))
        {
            _pos++;
        }

        return _pos > start;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private readonly bool AtEnd => _pos >= _line.Length;

    private readonly char Current => _line[_pos];

    private readonly ExpositionFormatException Error(string reason) => new(_lineNumber, reason);
}
