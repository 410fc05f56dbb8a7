using System.Globalization;
using System.Text;

namespace Platform.KubeApiDouble.Validation.Cel;

/// <summary>Splits a CEL expression into tokens.</summary>
internal static class CelLexer
{
    private static readonly string[] Operators =
        ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", ".", ",", "?", ":", "{", "}"];

    public static List<CelToken> Tokenize(string text)
    {
        var tokens = new List<CelToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new CelToken(CelTokenKind.Identifier, text[start..i]));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                    ?? throw new CelUnsupportedException($"unexpected character '{c}'");
                tokens.Add(new CelToken(CelTokenKind.Operator, op));
                i += op.Length;
            }
        }

        tokens.Add(new CelToken(CelTokenKind.End, string.Empty));
        return tokens;
    }

    private static CelToken ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
        {
            throw new CelUnsupportedException("hexadecimal literals");
        }

        while (i < text.Length && char.IsDigit(text[i]))
        {
            i++;
        }

        var isDouble = false;
        if (i + 1 < text.Length && text[i] == '.' && char.IsDigit(text[i + 1]))
        {
            isDouble = true;
            i++;
            while (i < text.Length && char.IsDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            isDouble = true;
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            while (i < text.Length && char.IsDigit(text[i]))
            {
                i++;
            }
        }

        var literal = text[start..i];
        if (i < text.Length && text[i] is 'u' or 'U')
        {
            i++; // unsigned literals are treated as ints
        }

        return isDouble
            ? new CelToken(CelTokenKind.Double, literal, double.Parse(literal, CultureInfo.InvariantCulture))
            : new CelToken(CelTokenKind.Int, literal, long.Parse(literal, CultureInfo.InvariantCulture));
    }

    private static CelToken ReadString(string text, ref int i)
    {
        var quote = text[i];
        if (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)
        {
            throw new CelUnsupportedException("triple-quoted strings");
        }

        i++;
        var builder = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                builder.Append(text[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '\\' => '\\',
                    '"' => '"',
                    '\'' => '\'',
                    _ => throw new CelUnsupportedException($"string escape \\{text[i]}"),
                });
            }
            else
            {
                builder.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length)
        {
            throw new CelUnsupportedException("unterminated string literal");
        }

        i++;
        return new CelToken(CelTokenKind.String, builder.ToString(), builder.ToString());
    }
}
