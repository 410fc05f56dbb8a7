using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Registry;

namespace Platform.KubeApiDouble.Http;

/// <summary>
/// Renders objects as a <c>meta.k8s.io/v1</c> <c>Table</c>, as the server does for <c>kubectl get</c>:
/// custom resources with their CRD's <c>additionalPrinterColumns</c>, built-ins with Name and Age
/// (and Ready for Deployments, Status for Namespaces).
/// </summary>
internal static class TableRenderer
{
    public static bool IsRequested(string? accept) => accept?.Contains("as=Table", StringComparison.Ordinal) == true;

    public static JsonObject Render(ResourceDefinition definition, string version, IReadOnlyList<JsonObject> objects, string resourceVersion, DateTimeOffset now)
    {
        var columns = ColumnsOf(definition, version);
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : string.Empty,
                ["description"] = c.Description ?? string.Empty,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = new JsonArray(objects.Select(o => (JsonNode)new JsonObject
            {
                ["cells"] = new JsonArray(columns.Select(c => Cell(c, o, now)).ToArray()),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                },
            }).ToArray()),
        };
    }

    private static List<PrinterColumn> ColumnsOf(ResourceDefinition definition, string version)
    {
        var name = new PrinterColumn("Name", "string", ".metadata.name", 0, "Name must be unique within a namespace.");
        var age = new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0, "The time since the object was created.");
        if (definition.CustomVersions.TryGetValue(version, out var custom))
        {
            return custom.PrinterColumns.Count > 0 ? [name, .. custom.PrinterColumns] : [name, age];
        }

        return (definition.Group, definition.Kind) switch
        {
            ("apps", "Deployment") =>
            [
                name,
                new PrinterColumn("Ready", "string", "(ready)", 0, "Ready replicas of the desired."),
                new PrinterColumn("Up-to-date", "integer", ".status.updatedReplicas", 0, null),
                new PrinterColumn("Available", "integer", ".status.availableReplicas", 0, null),
                age,
            ],
            ("", "Namespace") => [name, new PrinterColumn("Status", "string", ".status.phase", 0, null), age],
            _ => [name, age],
        };
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        if (column.JsonPath == "(ready)")
        {
            var ready = obj["status"]?["readyReplicas"].AsLong() ?? 0;
            var desired = obj["spec"]?["replicas"].AsLong() ?? 0;
            return $"{ready}/{desired}";
        }

        IReadOnlyList<JsonNode?> values;
        try
        {
            values = SimpleJsonPath.Evaluate(obj, column.JsonPath);
        }
        catch (FormatException)
        {
            return "<error>";
        }

        if (values.Count == 0)
        {
            return column.Type is "integer" or "number" ? 0 : "<none>";
        }

        var first = values[0];
        if (column.Type == "date" && first is JsonValue text && text.GetValueKind() == JsonValueKind.String &&
            DateTimeOffset.TryParse(text.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return HumanDuration(now - time);
        }

        return values.Count == 1 && first is JsonValue
            ? first.DeepClone()
            : string.Join(",", values.Select(v => v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : v?.ToJsonString()));
    }

    /// <summary>Ages as kubectl prints them: 45s, 3m20s, 5h, 12d.</summary>
    internal static string HumanDuration(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        var days = hours / 24;
        return hours < 24 * 8 && hours % 24 != 0 ? $"{days}d{hours % 24}h" : $"{days}d";
    }
}
