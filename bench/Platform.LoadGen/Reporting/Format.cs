using System.Globalization;

namespace Platform.LoadGen.Reporting;

/// <summary>Number formats shared by the human-readable reports.</summary>
internal static class Format
{
    public static string Ms(double? ms) => ms is { } v ? v.ToString(v switch { < 0.1 => "0.0000", < 10 => "0.000", _ => "0.0" }, CultureInfo.InvariantCulture) : "-";

    public static string Rate(double? perSecond) => perSecond is { } v ? v.ToString(v < 100 ? "0.0" : "#,0", CultureInfo.InvariantCulture) : "-";

    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Ratio(double? ratio) => ratio is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Clients(int? count) => count == 1 ? "1 client" : $"{count} clients";
}
