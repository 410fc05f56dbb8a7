using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Operator.Reconciliation;

/// <summary>The major.minor version of a Kubernetes API server, as its /version reports it.</summary>
public readonly partial record struct KubernetesVersion(int Major, int Minor) : IComparable<KubernetesVersion>
{
    /// <summary>
    /// From /version: gitVersion ("v1.28.4", "v1.30.2-eks-1552ad0") when it parses, else major and
    /// minor, where providers may append a '+' ("28+").
    /// </summary>
    public static KubernetesVersion? Parse(string? major, string? minor, string? gitVersion)
    {
        if (gitVersion is not null && GitVersion().Match(gitVersion) is { Success: true } match)
        {
            return new KubernetesVersion(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        return int.TryParse(major?.TrimEnd('+'), NumberStyles.None, CultureInfo.InvariantCulture, out var ma)
            && int.TryParse(minor?.TrimEnd('+'), NumberStyles.None, CultureInfo.InvariantCulture, out var mi)
            ? new KubernetesVersion(ma, mi)
            : null;
    }

    public int CompareTo(KubernetesVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}";

    [GeneratedRegex(@"^v?(\d+)\.(\d+)(\.|$|-|\+)")]
    private static partial Regex GitVersion();
}
