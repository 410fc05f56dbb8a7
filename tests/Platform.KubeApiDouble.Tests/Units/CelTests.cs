using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Validation.Cel;

namespace Platform.KubeApiDouble.Tests.Units;

public sealed class CelTests
{
    private static object? Run(string rule, string self, string? oldSelf = null) =>
        CelEvaluator.Evaluate(CelParser.Parse(rule), new Dictionary<string, object?>
        {
            ["self"] = CelEvaluator.FromJson(JsonNode.Parse(self)),
            ["oldSelf"] = oldSelf is null ? null : CelEvaluator.FromJson(JsonNode.Parse(oldSelf)),
        });

    [Theory]
    [InlineData("self.min <= self.max", """{"min":1,"max":2}""", true)]
    [InlineData("self.min <= self.max", """{"min":3,"max":2}""", false)]
    [InlineData("!has(self.port) || self.port > 1024", """{"min":1}""", true)]
    [InlineData("!has(self.port) || self.port > 1024", """{"port":80}""", false)]
    [InlineData("has(self.a.b)", """{"a":{"b":null}}""", true)]
    [InlineData("self.name.startsWith('gpu-') && size(self.name) < 10", """{"name":"gpu-a"}""", true)]
    [InlineData("self.tags.all(t, t.size() > 0) && self.tags.exists(t, t == 'x')", """{"tags":["x","y"]}""", true)]
    [InlineData("self.tags.exists_one(t, t in ['x', 'y'])", """{"tags":["x","y"]}""", false)]
    [InlineData("self.ratio * 2.0 > 1 ? self.mode == 'a' : true", """{"ratio":0.75,"mode":"a"}""", true)]
    [InlineData("self.limits['gpu'] >= 1", """{"limits":{"gpu":2}}""", true)]
    [InlineData("int(self.count) % 2 == 0 && string(self.n) == '3'", """{"count":"4","n":3}""", true)]
    [InlineData("self.missing > 1 || true", """{}""", true)]
    public void The_supported_subset_evaluates(string rule, string self, bool expected) =>
        Assert.Equal(expected, Run(rule, self));

    [Fact]
    public void Transition_rules_see_the_old_value()
    {
        Assert.True(CelParser.UsesOldSelf(CelParser.Parse("self == oldSelf")));
        Assert.Equal(false, Run("self == oldSelf", "\"b\"", "\"a\""));
    }

    [Fact]
    public void Missing_keys_are_evaluation_errors() =>
        Assert.Equal("no such key: max", Assert.Throws<CelEvaluationException>(() => Run("self.min <= self.max", """{"min":1}""")).Message);

    [Theory]
    [InlineData("self.name.split('-').size() > 1")]
    [InlineData("quantity(self.memory).isGreaterThan(quantity('1Gi'))")]
    [InlineData("self.map(x, x + 1)")]
    [InlineData("{'a': 1}.a == 1")]
    [InlineData("self.x ==")]
    public void Constructs_outside_the_subset_are_refused_at_compile_time(string rule) =>
        Assert.Throws<CelUnsupportedException>(() => CelParser.Parse(rule));
}
