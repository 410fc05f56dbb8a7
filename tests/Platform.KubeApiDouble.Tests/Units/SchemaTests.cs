using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Tests.Units;

public sealed class SchemaTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void Structural_schemas_convert_to_JSON_schema()
    {
        var converted = OpenApiToJsonSchema.Convert(Obj("""
            {"type":"object","required":["a"],"description":"d","properties":{
              "a":{"type":"string","nullable":true,"enum":["x"],"maxLength":3,"default":"x"},
              "b":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
              "c":{"type":"object","additionalProperties":{"type":"integer","minimum":0}},
              "d":{"type":"array","items":{"type":"number","maximum":1}}}}
            """));

        var expected = Obj("""
            {"type":"object","required":["a"],"properties":{
              "a":{"type":["string","null"],"maxLength":3,"enum":["x",null]},
              "b":{"type":["integer","string"]},
              "c":{"type":"object","additionalProperties":{"type":"integer","minimum":0}},
              "d":{"type":"array","items":{"type":"number","maximum":1}}}}
            """);
        Assert.True(JsonNodeExtensions.JsonEquals(expected, converted), converted.ToJsonString());
    }

    [Fact]
    public void Pruning_and_defaulting_follow_the_schema()
    {
        var schema = Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "a":{"type":"integer","default":1},
              "b":{"type":"object","default":{},"properties":{"c":{"type":"string","default":"x"}}},
              "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
              "items":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer","default":5}}}},
              "z":{"type":"integer","default":3}}}}}
            """);
        var obj = Obj("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"n","labels":{"l":"v"}},"spec":{"unknown":1,"free":{"any":[1]},"items":[{"m":1}],"z":null},"extra":true}""");

        StructuralDefaulting.Apply(obj, schema);

        var expected = Obj("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"n","labels":{"l":"v"}},"spec":{"free":{"any":[1]},"items":[{"n":5}],"a":1,"b":{"c":"x"},"z":3}}""");
        Assert.True(JsonNodeExtensions.JsonEquals(expected, obj), obj.ToJsonString());
    }

    [Fact]
    public void YAML_scalars_resolve_by_the_core_schema()
    {
        var parsed = YamlJsonReader.Parse("""
            i: 42
            f: 0.5
            b: true
            n: ~
            s: "42"
            v: 1.2.3
            l: [a, 2]
            """)!;

        Assert.Equal("""{"i":42,"f":0.5,"b":true,"n":null,"s":"42","v":"1.2.3","l":["a",2]}""", parsed.ToJsonString());
    }
}
