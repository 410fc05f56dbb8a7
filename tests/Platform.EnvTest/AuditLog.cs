using System.Text.Json;

namespace Platform.EnvTest;

/// <summary>One request as the API server's audit log records it (level Metadata, stage ResponseComplete).</summary>
public sealed record AuditEvent(
    DateTimeOffset Received, string User, string Verb, string? Group, string? Resource, string? Subresource,
    string? Namespace, string? Name, int Code, string RequestUri)
{
    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    public bool IsWrite => WriteVerbs.Contains(Verb);

    public bool IsForbidden => Code == 403;

    public override string ToString() =>
        $"{User} {Verb} {Group}/{Resource}{(Subresource is null ? "" : "/" + Subresource)} {Namespace}/{Name} -> {Code}";
}

/// <summary>
/// The API server's audit log file: every request with user, verb, resource and response code,
/// the way to count the writes and the refusals a client made.
/// </summary>
public sealed class AuditLog(string path)
{
    public string Path { get; } = path;

    /// <summary>Every complete event written so far.</summary>
    public IReadOnlyList<AuditEvent> Read()
    {
        if (!File.Exists(Path)) return [];
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var events = new List<AuditEvent>();
        while (reader.ReadLine() is { } line)
        {
            if (Parse(line) is { } parsed) events.Add(parsed);
        }
        return events;
    }

    /// <summary>The events of one user (e.g. <c>system:serviceaccount:ns:name</c>) received at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<AuditEvent> Of(string user, DateTimeOffset? since = null) =>
        Read().Where(e => e.User == user && (since is null || e.Received >= since)).ToList();

    private static AuditEvent? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (Text(root, "stage") != "ResponseComplete") return null;
            var objectRef = root.TryGetProperty("objectRef", out var o) ? o : default;
            return new AuditEvent(
                root.GetProperty("requestReceivedTimestamp").GetDateTimeOffset(),
                Text(root.GetProperty("user"), "username") ?? "",
                Text(root, "verb") ?? "",
                Text(objectRef, "apiGroup"),
                Text(objectRef, "resource"),
                Text(objectRef, "subresource"),
                Text(objectRef, "namespace"),
                Text(objectRef, "name"),
                root.TryGetProperty("responseStatus", out var status) && status.TryGetProperty("code", out var code) ? code.GetInt32() : 0,
                Text(root, "requestURI") ?? "");
        }
        catch (JsonException)
        {
            return null; // a line still being written
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
