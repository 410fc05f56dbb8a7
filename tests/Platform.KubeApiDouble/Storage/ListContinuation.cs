using System.Globalization;
using System.Text;

namespace Platform.KubeApiDouble.Storage;

/// <summary>The <c>continue</c> token of a paged list: the list's resource version and the last key served.</summary>
internal sealed record ListContinuation(long ResourceVersion, string Key)
{
    public static string Create(long resourceVersion, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{resourceVersion.ToString(CultureInfo.InvariantCulture)}\n{key}"));

    /// <exception cref="KubeApiException">400 for a malformed token, 410 Expired for one older than the retained history.</exception>
    public static ListContinuation? Parse(string? token, long compactedThrough)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data");
        }

        var newline = text.IndexOf('\n');
        if (newline < 0 || !long.TryParse(text[..newline], NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
        {
            throw ApiErrors.BadRequest("continue key is not valid: incorrect encoded start resourceVersion");
        }

        if (rv < compactedThrough)
        {
            throw ApiErrors.Expired(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        }

        return new ListContinuation(rv, text[(newline + 1)..]);
    }
}
