using System.Text.RegularExpressions;

namespace Platform.KubeApiDouble.Faults;

/// <summary>
/// Which requests a fault applies to. Null members match anything; <see cref="Name"/> may use
/// <c>*</c> as a wildcard. Verbs are the API verbs: get, list, watch, create, update, patch,
/// delete, deletecollection.
/// </summary>
public sealed record RequestMatch(
    string? Verb = null,
    string? Resource = null,
    string? Name = null,
    string? Namespace = null,
    string? Subresource = null)
{
    public static RequestMatch Any { get; } = new();

    internal bool Matches(RequestInfo request) =>
        (Verb is null || Verb == request.Verb) &&
        (Resource is null || Resource == request.Resource) &&
        (Namespace is null || Namespace == request.Namespace) &&
        (Subresource is null || Subresource == request.Subresource) &&
        (Name is null || (request.Name is not null && NameMatches(Name, request.Name)));

    private static bool NameMatches(string pattern, string name) =>
        pattern.Contains('*')
            ? Regex.IsMatch(name, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$")
            : pattern == name;
}

/// <summary>What the server knows about a request when it decides on faults.</summary>
internal sealed record RequestInfo(string Verb, string Resource, string? Subresource, string? Namespace, string? Name);
