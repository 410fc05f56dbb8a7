namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>One label of a sample, with its value already unescaped.</summary>
public readonly record struct Label(string Name, string Value);

/// <summary>
/// The labels of one sample in the order they were written. Samples carry few labels, so
/// lookups scan the list rather than build a dictionary per sample.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    public static readonly LabelSet Empty = new([]);

    private readonly Label[] _labels;

    public LabelSet(IEnumerable<Label> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels.ToArray();
        for (var i = 0; i < _labels.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(_labels[i].Name, _labels[j].Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Label '{_labels[i].Name}' appears more than once.", nameof(labels));
                }
            }
        }
    }

    public int Count => _labels.Length;

    public IReadOnlyList<Label> Labels => _labels;

    /// <summary>The value of the label, or null when the sample does not carry it.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var label in _labels)
            {
                if (string.Equals(label.Name, name, StringComparison.Ordinal))
                {
                    return label.Value;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// A canonical text of the labels other than <paramref name="excluded"/>, sorted by name,
    /// that identifies a series regardless of the order the labels were written in.
    /// </summary>
    public string KeyWithout(string excluded)
    {
        var kept = _labels
            .Where(l => !string.Equals(l.Name, excluded, StringComparison.Ordinal))
            .OrderBy(l => l.Name, StringComparer.Ordinal);
        return string.Join('\u001f', kept.Select(l => l.Name + "\u001e" + l.Value));
    }

    public bool Equals(LabelSet? other) =>
        other is not null && KeyWithout(string.Empty) == other.KeyWithout(string.Empty);

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(KeyWithout(string.Empty));

    public override string ToString() =>
        "{" + string.Join(',', _labels.Select(l => $"{l.Name}=\"{l.Value}\"")) + "}";
}
