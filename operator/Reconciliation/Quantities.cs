using System.Diagnostics.CodeAnalysis;
using k8s.Models;

namespace Platform.Operator.Reconciliation;

/// <summary>Safe parsing of Kubernetes quantities (the client's parser throws on bad text).</summary>
internal static class Quantities
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out ResourceQuantity? quantity)
    {
        quantity = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        try
        {
            quantity = new ResourceQuantity(text.Trim());
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>The quantity for a message; the client's canonical form garbles negative values.</summary>
    public static string Display(ResourceQuantity quantity)
    {
        try
        {
            var value = quantity.ToDecimal();
            return value < 0 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : quantity.ToString();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return quantity.ToString();
        }
    }

    /// <summary>
    /// A quantity of bytes as a whole number, a fraction rounded up (as Kubernetes rounds memory);
    /// null when the quantity is not a number of bytes that fits in a long.
    /// </summary>
    public static long? WholeBytes(ResourceQuantity quantity)
    {
        try
        {
            var value = Math.Ceiling(quantity.ToDecimal());
            return value is >= long.MinValue and <= long.MaxValue ? (long)value : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }
}
