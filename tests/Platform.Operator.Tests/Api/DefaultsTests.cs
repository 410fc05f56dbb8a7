using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.Api;

/// <summary>The schema's defaults (what the API server fills in) and the C# initializers (what the operator assumes) must agree.</summary>
public sealed class DefaultsTests
{
    public static TheoryData<Type, string> DefaultedProperties()
    {
        var data = new TheoryData<Type, string>();
        foreach (var type in typeof(InferenceService).Assembly.GetTypes().Where(t => t.Namespace == typeof(InferenceService).Namespace && t.IsClass && !t.IsAbstract))
        {
            foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<DefaultAttribute>() is not null || p.GetCustomAttribute<DefaultEmptyObjectAttribute>() is not null))
            {
                data.Add(type, property.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultedProperties))]
    public void Initializer_equals_the_schema_default(Type type, string propertyName)
    {
        var property = type.GetProperty(propertyName)!;
        var initial = property.GetValue(Activator.CreateInstance(type));

        if (property.GetCustomAttribute<DefaultEmptyObjectAttribute>() is not null)
        {
            Assert.NotNull(initial);
            return;
        }
        var declared = property.GetCustomAttribute<DefaultAttribute>()!.Value;
        Assert.Equal(JsonSerializer.Serialize(declared), KubernetesJson.Serialize(initial!));
    }

    [Fact]
    public void There_are_defaulted_properties_to_check()
    {
        Assert.True(DefaultedProperties().Count() >= 20);
    }

    [Fact]
    public void Defaulting_a_minimal_object_gives_what_the_types_assume()
    {
        var defaulted = YamlJson.Parse(SampleObjects.MinimalImageService)!;
        SchemaDefaulter.Apply(CrdSchema.Root, defaulted);

        var assumed = new InferenceService
        {
            Metadata = new() { Name = "mlp", NamespaceProperty = "default" },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec
                {
                    Path = "mlp.onnx",
                    Source = new ModelSource { Image = new ImageModelSource { Reference = "registry.example.com/models/mlp:1" } },
                },
            },
        };

        var expected = JsonNode.Parse(KubernetesJson.Serialize(assumed));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(defaulted.ToJsonString())),
            $"schema defaults:\n{defaulted}\nC# defaults:\n{expected}");
    }
}
