using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class SpecValidatorTests
{
    [Fact]
    public void Valid_services_have_no_errors()
    {
        Assert.Empty(SpecValidator.Validate(TestServices.Pvc()));
        Assert.Empty(SpecValidator.Validate(TestServices.Image()));
        Assert.Empty(SpecValidator.Validate(TestServices.Pvc(s =>
        {
            s.Model.Source.Pvc!.SubPath = "vision/v2";
            s.Resources.Gpu = 1;
            s.Resources.Cpu = new ResourceQuantity("500m");
            s.Serving.ExecutionProvider = ExecutionProvider.Cuda;
            s.Serving.WarmupBatchSizes = [1, 8];
            s.Autoscaling = new AutoscalingSpec { Mode = AutoscalingMode.External, MinReplicas = 0, MaxReplicas = 3 };
            s.Model.Path = "./v1/model..onnx";
        })));
    }

    public static TheoryData<string, Action<InferenceService>, string> InvalidSpecs() => new()
    {
        // What the schema cannot say (or says only through CEL, which older objects may have missed).
        { "path traversal", s => s.Spec.Model.Path = "../secrets/model.onnx", "spec.model.path: '../secrets/model.onnx' must stay inside the volume" },
        { "inner traversal", s => s.Spec.Model.Path = "a/../../b.onnx", "spec.model.path: 'a/../../b.onnx' must stay inside the volume" },
        { "absolute path", s => s.Spec.Model.Path = "/etc/model.onnx", "spec.model.path: '/etc/model.onnx' must be relative" },
        { "empty segment", s => s.Spec.Model.Path = "a//b.onnx", "spec.model.path: 'a//b.onnx' may only hold" },
        { "trailing newline", s => s.Spec.Model.Path = "model.onnx\n", "spec.model.path:" },
        { "no path", s => s.Spec.Model.Path = "", "spec.model.path: required" },
        { "subPath traversal", s => s.Spec.Model.Source.Pvc!.SubPath = "..", "spec.model.source.pvc.subPath: '..' must stay inside the volume" },
        { "both sources", s => s.Spec.Model.Source.Image = new ImageModelSource { Reference = "r/m:1" }, "spec.model.source: exactly one of pvc or image" },
        { "no source", s => s.Spec.Model.Source.Pvc = null, "spec.model.source: exactly one of pvc or image" },
        { "bad claim", s => s.Spec.Model.Source.Pvc!.ClaimName = "Models!", "spec.model.source.pvc.claimName: 'Models!'" },
        { "bad model name", s => s.Spec.Model.Name = "ResNet", "spec.model.name: 'ResNet' must be a DNS label" },
        { "bad resource name", s => s.Metadata.Name = "a.b", "metadata.name: 'a.b' must be a DNS-1035 label" },
        { "long resource name", s => s.Metadata.Name = new string('a', 64), "metadata.name:" },
        { "no namespace", s => s.Metadata.NamespaceProperty = null, "metadata.namespace: required" },
        { "cuda without gpu", s => s.Spec.Serving.ExecutionProvider = ExecutionProvider.Cuda, "spec.serving.executionProvider: 'cuda' needs spec.resources.gpu of at least 1" },
        { "warm-up above max batch", s => s.Spec.Serving.WarmupBatchSizes = [1, 16], "spec.serving.warmupBatchSizes[1]: 16 must be between 1 and maxBatchSize (8)" },
        { "min above max", s => s.Spec.Autoscaling.MinReplicas = 5, "spec.autoscaling.minReplicas: 5 must be less than or equal to maxReplicas (4)" },
        { "builtin from zero", s => s.Spec.Autoscaling.MinReplicas = 0, "spec.autoscaling.minReplicas: 0 needs mode External or Off" },
        { "image with spaces", s => s.Spec.Image = "my image", "spec.image: 'my image'" },
        { "zero cpu", s => s.Spec.Resources.Cpu = new ResourceQuantity("0"), "spec.resources.cpu: '0' must be greater than zero" },
        { "duplicate env", s => s.Spec.Env = [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "A", Value = "2" }], "spec.env[1].name: 'A' is listed more than once" },
        { "nameless env", s => s.Spec.Env = [new V1EnvVar { Value = "1" }], "spec.env[0].name: required" },
        // Bounds the schema also enforces.
        { "batch size", s => s.Spec.Serving.MaxBatchSize = 0, "spec.serving.maxBatchSize: 0 must be between 1 and 1024" },
        { "tolerance", s => s.Spec.Autoscaling.Tolerance = double.NaN, "spec.autoscaling.tolerance: NaN must be between 0 and 1" },
        { "step percent", s => s.Spec.Autoscaling.ScaleUp.MaxStepPercent = 0, "spec.autoscaling.scaleUp.maxStepPercent: 0 must be between 1 and 1000" },
        { "window", s => s.Spec.Autoscaling.ScaleDown.StabilizationWindowSeconds = -1, "spec.autoscaling.scaleDown.stabilizationWindowSeconds: -1 must be between 0 and 3600" },
        { "replicas", s => s.Spec.Replicas = -2, "spec.replicas: -2 must not be negative" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void An_invalid_field_is_reported_with_its_path(string because, Action<InferenceService> breakIt, string expected)
    {
        var service = TestServices.Pvc();
        breakIt(service);

        var errors = SpecValidator.Validate(service);

        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)),
            $"{because}: expected an error starting with \"{expected}\", got: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void All_errors_are_listed_not_just_the_first()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Model.Path = "../x.onnx";
            s.Serving.ExecutionProvider = ExecutionProvider.Cuda;
            s.Serving.WarmupBatchSizes = [100, 200];
            s.Autoscaling.MinReplicas = 9;
        });

        var errors = SpecValidator.Validate(service);

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("spec.model.path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.serving.executionProvider", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.serving.warmupBatchSizes[0]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.serving.warmupBatchSizes[1]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.autoscaling.minReplicas", StringComparison.Ordinal));
    }
}
