using System.Globalization;
using Microsoft.AspNetCore.Http;
using Platform.KubeApiDouble.Storage;

namespace Platform.KubeApiDouble.Http;

/// <summary>The query parameters of a Kubernetes API request.</summary>
internal sealed record QueryOptions(
    bool Watch,
    string? ResourceVersion,
    string? LabelSelector,
    string? FieldSelector,
    int? TimeoutSeconds,
    bool AllowWatchBookmarks,
    bool SendInitialEvents,
    int? Limit,
    string? Continue,
    string? FieldManager,
    bool? Force,
    bool DryRun,
    string? PropagationPolicy)
{
    /// <exception cref="KubeApiException">400 for malformed values.</exception>
    public static QueryOptions From(IQueryCollection query)
    {
        string? Text(string key) => query.TryGetValue(key, out var values) ? values.ToString() : null;

        bool Flag(string key) => Text(key) switch
        {
            null or "" or "false" or "0" => false,
            "true" or "1" => true,
            var other => throw ApiErrors.BadRequest($"invalid value for {key}: \"{other}\"; expected true or false"),
        };

        int? Number(string key) => Text(key) switch
        {
            null or "" => null,
            var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            var other => throw ApiErrors.BadRequest($"invalid value for {key}: \"{other}\"; expected a non-negative integer"),
        };

        var dryRun = Text("dryRun");
        if (dryRun is not (null or "" or "All"))
        {
            throw ApiErrors.BadRequest($"dryRun: Unsupported value: \"{dryRun}\": supported values: \"All\"");
        }

        return new QueryOptions(
            Flag("watch"),
            Text("resourceVersion"),
            Text("labelSelector"),
            Text("fieldSelector"),
            Number("timeoutSeconds"),
            Flag("allowWatchBookmarks"),
            Flag("sendInitialEvents"),
            Number("limit"),
            Text("continue"),
            Text("fieldManager"),
            query.ContainsKey("force") ? Flag("force") : null,
            dryRun == "All",
            Text("propagationPolicy"));
    }
}
