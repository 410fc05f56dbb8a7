namespace Platform.LoadGen.Reporting;

/// <summary>A plain text table: the first column left-aligned, the others right-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TextTable Row(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        WriteLine(output, headers, widths);
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        _rows.ForEach(row => WriteLine(output, row, widths));
    }

    private static void WriteLine(TextWriter output, string[] cells, int[] widths) =>
        output.WriteLine(string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
}
