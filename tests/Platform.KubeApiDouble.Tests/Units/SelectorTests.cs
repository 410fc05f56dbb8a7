using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Selectors;

namespace Platform.KubeApiDouble.Tests.Units;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "gpu", ["version"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier=gpu", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (cpu, gpu)", true)]
    [InlineData("tier notin (gpu)", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("version>2,version<4", true)]
    [InlineData("example.com/role=x", false)]
    public void Label_selectors_match_like_the_server(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in web")]
    [InlineData("app=web,")]
    [InlineData("tier in (gpu")]
    [InlineData("version>two")]
    public void Malformed_label_selectors_are_rejected(string selector) =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

    [Fact]
    public void A_selector_object_formats_like_kubectl_shows_it()
    {
        var selector = (JsonObject)JsonNode.Parse("""
            {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["gpu","cpu"]},{"key":"canary","operator":"DoesNotExist"}]}
            """)!;

        Assert.Equal("app=web,!canary,tier in (gpu,cpu)", LabelSelector.FromObject(selector).ToString());
    }

    [Fact]
    public void Field_selectors_accept_only_supported_fields()
    {
        var selector = FieldSelector.Parse("metadata.name=a,status.phase!=Running", ["status.phase"]);
        var pod = (JsonObject)JsonNode.Parse("""{"metadata":{"name":"a"},"status":{"phase":"Pending"}}""")!;

        Assert.True(selector.Matches(FieldSelector.FieldsOf(pod, ["status.phase"])));
        Assert.Equal("field label not supported: spec.x", Assert.Throws<FormatException>(() => FieldSelector.Parse("spec.x=1", [])).Message);
    }
}
