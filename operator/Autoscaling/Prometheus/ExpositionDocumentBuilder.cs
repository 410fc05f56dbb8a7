using System.Globalization;

namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>
/// Groups parsed lines into metric families as they arrive, so a scrape is parsed line by
/// line without holding the whole body. Enforces the format's rules that a name has at
/// most one HELP and one TYPE, that TYPE comes before the family's samples, and that
/// histogram buckets carry a numeric <c>le</c> label.
/// </summary>
internal sealed class ExpositionDocumentBuilder
{
    private readonly ExpositionLimits _limits;
    private readonly Dictionary<string, FamilyBuilder> _byName = new(StringComparer.Ordinal);
    private readonly List<FamilyBuilder> _ordered = [];
    private FamilyBuilder? _current;
    private int _sampleCount;

    public ExpositionDocumentBuilder(ExpositionLimits limits) => _limits = limits;

    public int LineNumber { get; private set; }

    public void AddLine(ReadOnlySpan<char> line)
    {
        LineNumber++;
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        var parsed = ExpositionLineParser.Parse(line, LineNumber);
        switch (parsed.Kind)
        {
            case ExpositionLineKind.Help:
                AddHelp(parsed.MetricName!, parsed.Help!);
                break;
            case ExpositionLineKind.Type:
                AddType(parsed.MetricName!, parsed.Type);
                break;
            case ExpositionLineKind.Sample:
                AddSample(parsed.Sample!);
                break;
        }
    }

    public IReadOnlyList<MetricFamily> Build() =>
        _ordered.Select(f => new MetricFamily(f.Name, f.Type, f.Help, f.Samples)).ToArray();

    private void AddHelp(string name, string help)
    {
        var family = GetOrAdd(name);
        if (family.Help is not null)
        {
            throw new ExpositionFormatException(LineNumber, $"second HELP line for '{name}'");
        }

        family.Help = help;
        _current = family;
    }

    private void AddType(string name, MetricType type)
    {
        var family = GetOrAdd(name);
        if (family.TypeDeclared)
        {
            throw new ExpositionFormatException(LineNumber, $"second TYPE line for '{name}'");
        }

        if (family.Samples.Count > 0)
        {
            throw new ExpositionFormatException(LineNumber, $"TYPE line for '{name}' after its samples");
        }

        family.Type = type;
        family.TypeDeclared = true;
        _current = family;
    }

    private void AddSample(MetricSample sample)
    {
        if (++_sampleCount > _limits.MaxSamples)
        {
            throw new ExpositionFormatException(LineNumber, $"more than {_limits.MaxSamples} samples");
        }

        var family = FindFamily(sample.Name);
        if (family.Type == MetricType.Histogram && sample.Name.EndsWith("_bucket", StringComparison.Ordinal))
        {
            var le = sample.Labels["le"];
            if (le is null)
            {
                throw new ExpositionFormatException(LineNumber, $"histogram bucket '{sample.Name}' has no 'le' label");
            }

            if (!TryParseBound(le, out _))
            {
                throw new ExpositionFormatException(LineNumber, $"histogram bucket '{sample.Name}' has a non-numeric le=\"{le}\"");
            }
        }

        family.Samples.Add(sample);
        _current = family;
    }

    /// <summary>Parses a bucket bound (<c>le</c>) the way sample values are parsed.</summary>
    internal static bool TryParseBound(string text, out double bound)
    {
        switch (text)
        {
            case "+Inf" or "Inf" or "+inf" or "inf":
                bound = double.PositiveInfinity;
                return true;
            case "-Inf" or "-inf":
                bound = double.NegativeInfinity;
                return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out bound) && !double.IsNaN(bound);
    }

    private FamilyBuilder FindFamily(string sampleName)
    {
        if (_current is not null && _current.Accepts(sampleName))
        {
            return _current;
        }

        if (_byName.TryGetValue(sampleName, out var exact) && exact.Accepts(sampleName))
        {
            return exact;
        }

        foreach (var suffix in (ReadOnlySpan<string>)["_bucket", "_sum", "_count"])
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && _byName.TryGetValue(sampleName[..^suffix.Length], out var parent)
                && parent.Accepts(sampleName))
            {
                return parent;
            }
        }

        if (exact is not null)
        {
            // The name is declared (say as a histogram) but this sample cannot belong to it.
            throw new ExpositionFormatException(LineNumber, $"sample '{sampleName}' does not fit the {exact.Type.ToString().ToLowerInvariant()} '{exact.Name}'");
        }

        return GetOrAdd(sampleName);
    }

    private FamilyBuilder GetOrAdd(string name)
    {
        if (!_byName.TryGetValue(name, out var family))
        {
            family = new FamilyBuilder(name);
            _byName.Add(name, family);
            _ordered.Add(family);
        }

        return family;
    }

    private sealed class FamilyBuilder(string name)
    {
        public string Name { get; } = name;

        public MetricType Type { get; set; } = MetricType.Untyped;

        public bool TypeDeclared { get; set; }

        public string? Help { get; set; }

        public List<MetricSample> Samples { get; } = [];

        public bool Accepts(string sampleName) => Type switch
        {
            MetricType.Histogram => IsSuffixed(sampleName, "_bucket") || IsSuffixed(sampleName, "_sum") || IsSuffixed(sampleName, "_count"),
            MetricType.Summary => sampleName == Name || IsSuffixed(sampleName, "_sum") || IsSuffixed(sampleName, "_count"),
            _ => sampleName == Name,
        };

        private bool IsSuffixed(string sampleName, string suffix) =>
            sampleName.Length == Name.Length + suffix.Length
            && sampleName.StartsWith(Name, StringComparison.Ordinal)
            && sampleName.EndsWith(suffix, StringComparison.Ordinal);
    }
}
