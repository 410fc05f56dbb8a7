using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Packaging.Tests.Docs;

/// <summary>
/// One simple command of a document's ```sh block: its words after quote removal (a word that
/// still holds an unexpanded <c>$</c> is left as written), the file its output is redirected to,
/// and the line it came from. Enough shell for what guides show: quotes, backslash line
/// continuations, comments, <c>;</c> / <c>&amp;&amp;</c> / <c>|</c> sequences, <c>&gt;</c>,
/// <c>NAME=value</c> assignments and <c>$(...)</c> left unexpanded.
/// </summary>
internal sealed record ShellCommand(IReadOnlyList<string> Words, string? RedirectTo, string Line)
{
    public string Program => Words[0];

    /// <summary>The words after the program, positional arguments and options alike.</summary>
    public IReadOnlyList<string> Arguments => Words.Skip(1).ToList();

    /// <summary>A shell assignment (NAME=value) standing alone.</summary>
    public bool IsAssignment => Words.Count == 1 && Regex.IsMatch(Words[0], "^[A-Za-z_][A-Za-z0-9_]*=");

    /// <summary>The value of --name or --name=value (also -n for short names), or null.</summary>
    public string? Option(params string[] names)
    {
        for (var i = 1; i < Words.Count; i++)
        {
            foreach (var name in names)
            {
                if (Words[i] == name && i + 1 < Words.Count) return Words[i + 1];
                if (Words[i].StartsWith(name + "=", StringComparison.Ordinal)) return Words[i][(name.Length + 1)..];
            }
        }
        return null;
    }

    /// <summary>Every value of a repeatable option (--set a=b --set c=d).</summary>
    public IReadOnlyList<string> Options(string name)
    {
        var values = new List<string>();
        for (var i = 1; i < Words.Count; i++)
        {
            if (Words[i] == name && i + 1 < Words.Count) values.Add(Words[++i]);
            else if (Words[i].StartsWith(name + "=", StringComparison.Ordinal)) values.Add(Words[i][(name.Length + 1)..]);
        }
        return values;
    }

    public bool Has(string flag) => Words.Skip(1).Any(w => w == flag || w.StartsWith(flag + "=", StringComparison.Ordinal));

    public override string ToString() => Line;

    /// <summary>The commands of every ```sh block of a Markdown file, in order, each line's commands together.</summary>
    public static IReadOnlyList<IReadOnlyList<ShellCommand>> ReadBlocks(string markdownPath)
    {
        var lines = new List<IReadOnlyList<ShellCommand>>();
        var inBlock = false;
        var pending = new StringBuilder();
        foreach (var raw in File.ReadAllLines(markdownPath))
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && raw.Trim() == "```sh";
                continue;
            }
            if (!inBlock) continue;
            if (raw.EndsWith('\\'))
            {
                pending.Append(raw[..^1]).Append(' ');
                continue;
            }
            pending.Append(raw);
            var line = pending.ToString();
            pending.Clear();
            var commands = Parse(line);
            if (commands.Count > 0) lines.Add(commands);
        }
        return lines;
    }

    /// <summary>Splits one logical line into simple commands.</summary>
    public static IReadOnlyList<ShellCommand> Parse(string line)
    {
        var commands = new List<ShellCommand>();
        var words = new List<string>();
        string? redirect = null;
        var redirectNext = false;
        var word = new StringBuilder();
        var inWord = false;

        void EndWord()
        {
            if (!inWord) return;
            if (redirectNext) { redirect = word.ToString(); redirectNext = false; }
            else words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }
        void EndCommand()
        {
            EndWord();
            if (words.Count > 0) commands.Add(new ShellCommand(words.ToList(), redirect, line.Trim()));
            words.Clear();
            redirect = null;
        }

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0) throw new FormatException($"unclosed single quote in: {line}");
                    word.Append(line, i + 1, close - i - 1);
                    inWord = true;
                    i = close;
                    break;
                case '"':
                    i++;
                    for (; i < line.Length && line[i] != '"'; i++)
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$') i++;
                        word.Append(line[i]);
                    }
                    if (i >= line.Length) throw new FormatException($"unclosed double quote in: {line}");
                    inWord = true;
                    break;
                case '$' when i + 1 < line.Length && line[i + 1] == '(':
                    var depth = 0;
                    var start = i;
                    for (; i < line.Length; i++)
                    {
                        if (line[i] == '(') depth++;
                        else if (line[i] == ')' && --depth == 0) break;
                    }
                    word.Append(line, start, Math.Min(i + 1, line.Length) - start);
                    inWord = true;
                    break;
                case '\\' when i + 1 < line.Length:
                    word.Append(line[++i]);
                    inWord = true;
                    break;
                case '#' when !inWord:
                    EndCommand();
                    return commands;
                case ' ' or '\t':
                    EndWord();
                    break;
                case ';' or '|' or '&':
                    EndCommand();
                    if (i + 1 < line.Length && line[i + 1] == c) i++;
                    break;
                case '>':
                    EndWord();
                    redirectNext = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        EndCommand();
        return commands;
    }
}
