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
}
