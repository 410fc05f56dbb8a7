using System.Text.RegularExpressions;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Checks an InferenceService before anything is built from it. Repeats the schema's
/// bounds and CEL rules (objects can predate the current CRD, and tests and tools build
/// objects without an API server) and adds what the schema does not express. Every error
/// is listed, each as "field.path: problem", so one status update shows them all. An
/// invalid spec is terminal for its generation: retrying cannot fix it, the user must.
/// </summary>
public static partial class SpecValidator
{
    public static IReadOnlyList<string> Validate(InferenceService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<string>();
        ValidateMetadata(service, errors);
        if (service.Spec is not { } spec)
        {
            errors.Add("spec: required");
            return errors;
        }
        ValidateModel(spec.Model, errors);
        ValidateImage(spec, errors);
        ValidateResources(spec.Resources, errors);
        ValidateServing(spec, errors);
        ValidateScaling(spec, errors);
        ValidateFeatures(spec, errors);
        ValidateEnv(spec, errors);
        return errors;
    }

    private static void ValidateMetadata(InferenceService service, List<string> errors)
    {
        var name = service.Metadata?.Name;
        if (string.IsNullOrEmpty(name) || name.Length > 63 || !FullMatch(Dns1035Label(), name))
        {
            errors.Add($"metadata.name: '{name}' must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters) because it also names the Service");
        }
        if (string.IsNullOrEmpty(service.Metadata?.NamespaceProperty))
        {
            errors.Add("metadata.namespace: required");
        }
    }

    private static void ValidateModel(ModelSpec? model, List<string> errors)
    {
        if (model is null)
        {
            errors.Add("spec.model: required");
            return;
        }
        if (model.Name is not null && (model.Name.Length is 0 or > 63 || !FullMatch(DnsLabel(), model.Name)))
        {
            errors.Add($"spec.model.name: '{model.Name}' must be a DNS label (lowercase letters, digits and '-', at most 63 characters)");
        }
        ValidateRelativePath("spec.model.path", model.Path, required: true, errors);

        var source = model.Source;
        if (source is null || (source.Pvc is null) == (source.Image is null))
        {
            errors.Add("spec.model.source: exactly one of pvc or image must be set");
        }
        if (source?.Pvc is { } pvc)
        {
            if (string.IsNullOrEmpty(pvc.ClaimName) || pvc.ClaimName.Length > 253 || !FullMatch(DnsSubdomain(), pvc.ClaimName))
            {
                errors.Add($"spec.model.source.pvc.claimName: '{pvc.ClaimName}' must be a PersistentVolumeClaim name (DNS subdomain)");
            }
            ValidateRelativePath("spec.model.source.pvc.subPath", pvc.SubPath, required: false, errors);
        }
        if (source?.Image is { } image && (string.IsNullOrWhiteSpace(image.Reference) || image.Reference.Any(char.IsWhiteSpace)))
        {
            errors.Add($"spec.model.source.image.reference: '{image.Reference}' must be an image reference without spaces");
        }
    }

    /// <summary>A path inside a volume: relative, no '..' segment, no empty segment, safe characters.</summary>
    private static void ValidateRelativePath(string field, string? path, bool required, List<string> errors)
    {
        if (string.IsNullOrEmpty(path))
        {
            if (required)
            {
                errors.Add($"{field}: required");
            }
            return;
        }
        if (path.StartsWith('/'))
        {
            errors.Add($"{field}: '{path}' must be relative to the volume, not absolute");
        }
        else if (path.Split('/').Contains(".."))
        {
            errors.Add($"{field}: '{path}' must stay inside the volume: '..' segments are not allowed");
        }
        else if (path.Length > 1024 || !FullMatch(RelativePath(), path))
        {
            errors.Add($"{field}: '{path}' may only hold letters, digits, '.', '_', '-' and single '/' between segments (at most 1024 characters)");
        }
    }

    private static void ValidateImage(InferenceServiceSpec spec, List<string> errors)
    {
        if (spec.Image is not null && (spec.Image.Length == 0 || spec.Image.Any(char.IsWhiteSpace)))
        {
            errors.Add($"spec.image: '{spec.Image}' must be an image reference without spaces");
        }
    }

    private static void ValidateResources(ResourcesSpec? resources, List<string> errors)
    {
        if (resources is null)
        {
            return;
        }
        if (resources.Cpu is { } cpu && cpu.ToDecimal() <= 0)
        {
            errors.Add($"spec.resources.cpu: '{cpu}' must be greater than zero");
        }
        if (resources.Memory is { } memory && memory.ToDecimal() < 1)
        {
            errors.Add($"spec.resources.memory: '{memory}' must be at least one byte");
        }
        Range(errors, "spec.resources.gpu", resources.Gpu, 0, 16);
    }

    private static void ValidateServing(InferenceServiceSpec spec, List<string> errors)
    {
        var serving = spec.Serving;
        if (serving is null)
        {
            return;
        }
        Range(errors, "spec.serving.maxBatchSize", serving.MaxBatchSize, 1, 1024);
        Range(errors, "spec.serving.maxQueueDelayMs", serving.MaxQueueDelayMs, 0, 10000);
        Range(errors, "spec.serving.queueCapacity", serving.QueueCapacity, 1, 100000);
        Range(errors, "spec.serving.timeoutMs", serving.TimeoutMs, 1, 3600000);
        if (serving.Instances is { } instances)
        {
            Range(errors, "spec.serving.instances", instances, 1, 16);
        }
        Range(errors, "spec.serving.drainTimeoutSeconds", serving.DrainTimeoutSeconds, 0, 3600);
        Range(errors, "spec.serving.priorityLevels", serving.PriorityLevels, 1, 16);

        if (serving.ExecutionProvider == ExecutionProvider.Cuda && (spec.Resources?.Gpu ?? 0) == 0)
        {
            errors.Add("spec.serving.executionProvider: 'cuda' needs spec.resources.gpu of at least 1");
        }
        if (serving.WarmupBatchSizes is { } warmup)
        {
            if (warmup.Count is 0 or > 16)
            {
                errors.Add($"spec.serving.warmupBatchSizes: must list 1 to 16 sizes (has {warmup.Count})");
            }
            for (var i = 0; i < warmup.Count; i++)
            {
                if (warmup[i] < 1 || warmup[i] > serving.MaxBatchSize)
                {
                    errors.Add($"spec.serving.warmupBatchSizes[{i}]: {warmup[i]} must be between 1 and maxBatchSize ({serving.MaxBatchSize})");
                }
            }
        }
    }

    private static void ValidateScaling(InferenceServiceSpec spec, List<string> errors)
    {
        if (spec.Replicas is < 0)
        {
            errors.Add($"spec.replicas: {spec.Replicas} must not be negative");
        }
        var autoscaling = spec.Autoscaling;
        if (autoscaling is null)
        {
            return;
        }
        if (!Enum.IsDefined(autoscaling.Mode))
        {
            errors.Add($"spec.autoscaling.mode: '{autoscaling.Mode}' must be Builtin, External or Off");
        }
        Range(errors, "spec.autoscaling.minReplicas", autoscaling.MinReplicas, 0, int.MaxValue);
        Range(errors, "spec.autoscaling.maxReplicas", autoscaling.MaxReplicas, 1, int.MaxValue);
        if (autoscaling.MinReplicas > autoscaling.MaxReplicas)
        {
            errors.Add($"spec.autoscaling.minReplicas: {autoscaling.MinReplicas} must be less than or equal to maxReplicas ({autoscaling.MaxReplicas})");
        }
        if (autoscaling.Mode == AutoscalingMode.Builtin && autoscaling.MinReplicas == 0)
        {
            errors.Add("spec.autoscaling.minReplicas: 0 needs mode External or Off: the builtin autoscaler measures load on running replicas and cannot start from zero");
        }
        Range(errors, "spec.autoscaling.targetQueueDepth", autoscaling.TargetQueueDepth, 1, 100000);
        if (autoscaling.TargetP95LatencyMs is { } latency)
        {
            Range(errors, "spec.autoscaling.targetP95LatencyMs", latency, 1, 3600000);
        }
        if (!(autoscaling.Tolerance >= 0 && autoscaling.Tolerance <= 1))
        {
            errors.Add($"spec.autoscaling.tolerance: {autoscaling.Tolerance} must be between 0 and 1");
        }
        Range(errors, "spec.autoscaling.metricsIntervalSeconds", autoscaling.MetricsIntervalSeconds, 1, 300);
        ValidateRules("spec.autoscaling.scaleUp", autoscaling.ScaleUp, errors);
        ValidateRules("spec.autoscaling.scaleDown", autoscaling.ScaleDown, errors);
    }

    private static void ValidateRules(string field, ScalingRules? rules, List<string> errors)
    {
        if (rules is null)
        {
            return;
        }
        Range(errors, $"{field}.stabilizationWindowSeconds", rules.StabilizationWindowSeconds, 0, 3600);
        if (rules.MaxStepPods is { } pods)
        {
            Range(errors, $"{field}.maxStepPods", pods, 1, int.MaxValue);
        }
        if (rules.MaxStepPercent is { } percent)
        {
            Range(errors, $"{field}.maxStepPercent", percent, 1, 1000);
        }
    }

    private static void ValidateEnv(InferenceServiceSpec spec, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var env = spec.Env ?? [];
        for (var i = 0; i < env.Count; i++)
        {
            var name = env[i]?.Name;
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"spec.env[{i}].name: required");
            }
            else if (!seen.Add(name))
            {
                errors.Add($"spec.env[{i}].name: '{name}' is listed more than once");
            }
        }
    }

    private static void Range(List<string> errors, string field, long value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add(maximum == int.MaxValue
                ? $"{field}: {value} must be at least {minimum}"
                : $"{field}: {value} must be between {minimum} and {maximum}");
        }
    }

    /// <summary>Like RE2's (the API server's) match: .NET's '$' would also accept a trailing newline.</summary>
    private static bool FullMatch(Regex regex, string text) => !text.EndsWith('\n') && regex.IsMatch(text);

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(ModelSpec.NamePattern)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(ModelSpec.PathPattern)]
    private static partial Regex RelativePath();
}
