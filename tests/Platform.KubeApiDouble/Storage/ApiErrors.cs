using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Storage;

/// <summary>The errors the API server answers with, with its reasons and message wording.</summary>
internal static class ApiErrors
{
    public static KubeApiException NotFound(ResourceDefinition definition, string name) =>
        new(404, "NotFound", $"{definition.GroupResource} \"{name}\" not found", Details(definition, name));

    public static KubeApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static KubeApiException ResourceNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static KubeApiException AlreadyExists(ResourceDefinition definition, string name) =>
        new(409, "AlreadyExists", $"{definition.GroupResource} \"{name}\" already exists", Details(definition, name));

    public static KubeApiException Conflict(ResourceDefinition definition, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {definition.GroupResource} \"{name}\": {why}", Details(definition, name));

    public static KubeApiException StaleResourceVersion(ResourceDefinition definition, string name) =>
        Conflict(definition, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static KubeApiException Invalid(ResourceDefinition definition, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(definition.GroupKind, name, errors, definition.Group, definition.Kind);

    public static KubeApiException Invalid(string groupKind, string name, IReadOnlyList<FieldError> errors, string group, string kind)
    {
        var list = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        var details = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind };
        details["causes"] = new JsonArray(errors
            .Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Summary, ["field"] = e.Field })
            .ToArray());
        return new KubeApiException(422, "Invalid", $"{groupKind} \"{name}\" is invalid: {list}", details);
    }

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static KubeApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got \"{contentType}\")");

    public static KubeApiException Expired(string message) => new(410, "Expired", message);

    public static KubeApiException TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject())
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    public static KubeApiException InternalError(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", new JsonObject());

    public static KubeApiException ServiceUnavailable(string message) => new(503, "ServiceUnavailable", message);

    private static JsonObject Details(ResourceDefinition definition, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (definition.Group.Length > 0)
        {
            details["group"] = definition.Group;
        }

        details["kind"] = definition.Plural;
        return details;
    }
}
