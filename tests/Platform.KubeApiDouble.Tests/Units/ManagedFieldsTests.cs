using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Apply;

namespace Platform.KubeApiDouble.Tests.Units;

public sealed class ManagedFieldsTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void Field_sets_render_as_fieldsV1_and_read_back()
    {
        var obj = Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"c","image":"i","args":["x"]}]}}},"status":{"replicas":1}}
            """);

        var paths = FieldSets.Collect(obj, FieldScope.MainWithoutStatus);
        var fields = ManagedFieldsEntry.ToFieldsV1(paths);

        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\u0022name\u0022:\u0022c\u0022}":{".":{},"f:args":{},"f:image":{},"f:name":{}}}}}}}""",
            fields.ToJsonString());
        var entry = new JsonObject { ["metadata"] = new JsonObject { ["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "m", ["operation"] = "Apply", ["fieldsV1"] = fields }) } };
        Assert.True(ManagedFieldsEntry.ReadAll(entry)[0].Paths.SetEquals(paths));
    }

    [Fact]
    public void Conflicts_list_every_field_per_manager()
    {
        var live = Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m"},"data":{"a":"1","b":"1"}}""");
        ServerSideApply.RecordUpdate(null, live, new FieldOwner("editor", FieldScope.Whole, null, "v1", "2026-01-01T00:00:00Z"));

        var error = Assert.Throws<KubeApiException>(() => ServerSideApply.Apply(
            live,
            Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m"},"data":{"a":"2","b":"2"}}"""),
            new FieldOwner("operator", FieldScope.Whole, null, "v1", "2026-01-01T00:00:00Z"),
            force: false));

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"editor\" using v1:\n- .data.a\n- .data.b", error.Message);
    }
}
