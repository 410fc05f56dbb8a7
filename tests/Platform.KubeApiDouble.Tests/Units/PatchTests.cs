using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Patching;

namespace Platform.KubeApiDouble.Tests.Units;

public sealed class PatchTests
{
    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNodeExtensions.JsonEquals(Json(expected), actual), $"expected {expected} but got {actual?.ToJsonString()}");

    [Fact]
    public void Merge_patch_replaces_lists_and_removes_nulls() =>
        AssertJson("""{"a":{"c":2},"l":[3]}""", JsonMergePatch.Apply(Json("""{"a":{"b":1,"c":1},"l":[1,2]}"""), Json("""{"a":{"b":null,"c":2},"l":[3]}""")));

    [Fact]
    public void Strategic_merge_patch_merges_named_items_and_honours_delete()
    {
        var live = Json("""{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}],"args":["x"]}""");
        var patch = Json("""{"containers":[{"name":"a","image":"a:2"},{"name":"b","$patch":"delete"},{"name":"c","image":"c:1"}],"args":["y"]}""");

        AssertJson("""{"containers":[{"name":"a","image":"a:2"},{"name":"c","image":"c:1"}],"args":["y"]}""", StrategicMergePatch.Apply(live, patch));
    }

    [Fact]
    public void Strategic_merge_patch_merges_conditions_by_type() =>
        AssertJson(
            """{"conditions":[{"type":"Ready","status":"True"},{"type":"Progressing","status":"True"}]}""",
            StrategicMergePatch.Apply(
                Json("""{"conditions":[{"type":"Ready","status":"False"},{"type":"Progressing","status":"True"}]}"""),
                Json("""{"conditions":[{"type":"Ready","status":"True"}]}""")));

    [Fact]
    public void Json_patch_runs_each_operation()
    {
        var result = JsonPatch.Apply(
            Json("""{"a":{"b":1},"l":[1,2],"m":"x"}"""),
            Json("""
                [{"op":"test","path":"/a/b","value":1},{"op":"add","path":"/l/-","value":3},{"op":"remove","path":"/l/0"},
                 {"op":"move","from":"/m","path":"/n"},{"op":"copy","from":"/a","path":"/c"},{"op":"replace","path":"/a/b","value":9},
                 {"op":"add","path":"/x~1y","value":true}]
                """));

        AssertJson("""{"a":{"b":9},"l":[2,3],"n":"x","c":{"b":1},"x/y":true}""", result);
    }

    [Fact]
    public void Json_patch_failures_are_reported()
    {
        Assert.Throws<InvalidOperationException>(() => JsonPatch.Apply(Json("""{"a":1}"""), Json("""[{"op":"test","path":"/a","value":2}]""")));
        Assert.Throws<InvalidOperationException>(() => JsonPatch.Apply(Json("""{"a":1}"""), Json("""[{"op":"remove","path":"/b"}]""")));
        Assert.Throws<FormatException>(() => JsonPatch.Apply(Json("""{"a":1}"""), Json("""{"op":"remove"}""")));
    }

    [Fact]
    public void Patch_kinds_come_from_the_content_type()
    {
        Assert.Equal(PatchKind.Apply, PatchKinds.FromContentType("application/apply-patch+yaml; charset=utf-8"));
        Assert.Equal(PatchKind.StrategicMerge, PatchKinds.FromContentType("application/strategic-merge-patch+json"));
        Assert.Null(PatchKinds.FromContentType("application/json"));
    }
}
