using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>The optional feature sections: the pod's own bounds, so a spec that passes here starts a pod.</summary>
public static partial class SpecValidator
{
    private const long Ki = 1024;
    private const long Mi = 1024 * Ki;
    private const long Gi = 1024 * Mi;
    private const long Ti = 1024 * Gi;

    private static void ValidateFeatures(InferenceServiceSpec spec, List<string> errors)
    {
        ValidateRateLimits(spec.RateLimits, errors);
        if (spec.Cache is { } cache)
        {
            if (cache.TtlSeconds is { } ttl) Range(errors, "spec.cache.ttlSeconds", ttl, 1, 2592000);
            Bytes(errors, "spec.cache.maxBytes", cache.MaxBytes, 0, Ti, "1Ti");
            Bytes(errors, "spec.cache.maxEntryBytes", cache.MaxEntryBytes, 1, 512 * Mi, "512Mi");
            ValidateRedis("spec.cache.redis", cache.Redis, errors);
        }
        if (spec.Jobs is { } jobs)
        {
            if (jobs.MaxJobs is { } maxJobs) Range(errors, "spec.jobs.maxJobs", maxJobs, 1, 1_000_000);
            if (jobs.MaxRows is { } maxRows) Range(errors, "spec.jobs.maxRows", maxRows, 1, 1_000_000);
            if (jobs.ResultTtlSeconds is { } ttl) Range(errors, "spec.jobs.resultTtlSeconds", ttl, 1, 604800);
            if (jobs.QueueTimeoutSeconds is { } timeout) Range(errors, "spec.jobs.queueTimeoutSeconds", timeout, 1, 86400);
            Bytes(errors, "spec.jobs.maxResultBytes", jobs.MaxResultBytes, Ki, Gi, "1Gi");
            ValidateRedis("spec.jobs.redis", jobs.Redis, errors);
        }
        if ((spec.Preprocessing is null) != (spec.Postprocessing is null))
        {
            errors.Add($"spec.{(spec.Preprocessing is null ? "preprocessing" : "postprocessing")}: required with spec.{(spec.Preprocessing is null ? "postprocessing" : "preprocessing")}: the classify endpoint decodes an image and ranks the model's output");
        }
        ValidatePreprocessing(spec.Preprocessing, errors);
        if (spec.Postprocessing is { } post)
        {
            Name(errors, "spec.postprocessing.output", post.Output);
            if (post.TopK is { } topK) Range(errors, "spec.postprocessing.topK", topK, 1, 1_000_000);
            ValidateRelativePath("spec.postprocessing.labelsPath", post.LabelsPath, required: false, errors);
        }
        if (spec.Gpu?.MinFreeMemory is { } minFree)
        {
            Bytes(errors, "spec.gpu.minFreeMemory", minFree, 0, long.MaxValue, null);
            if ((spec.Resources?.Gpu ?? 0) == 0)
            {
                errors.Add("spec.gpu.minFreeMemory: needs spec.resources.gpu of at least 1");
            }
        }
    }

    private static void ValidateRateLimits(RateLimitsSpec? rateLimits, List<string> errors)
    {
        if (rateLimits is null)
        {
            return;
        }
        var limits = rateLimits.Limits ?? "";
        if (limits.Length is 0 or > 1024 || !FullMatch(RateLimitList(), limits))
        {
            errors.Add($"spec.rateLimits.limits: '{limits}' must be comma-separated quotas like '2/s, 5/min, 100/h' (units s, m, min, h, d)");
        }
        else if (!RateLimitGrammar.TryParseList(limits, out _, out var problem))
        {
            errors.Add($"spec.rateLimits.limits: {problem}");
        }
        HeaderName(errors, "spec.rateLimits.apiKeyHeader", rateLimits.ApiKeyHeader);
        HeaderName(errors, "spec.rateLimits.forwardedHeader", rateLimits.ForwardedHeader);
        if (rateLimits.MaxClients is { } maxClients) Range(errors, "spec.rateLimits.maxClients", maxClients, 1, 1_000_000);
    }

    private static void ValidateRedis(string field, RedisSpec? redis, List<string> errors)
    {
        if (redis is null)
        {
            return;
        }
        var reference = redis.SecretRef;
        if (reference is null)
        {
            errors.Add($"{field}.secretRef: required");
        }
        else
        {
            if (string.IsNullOrEmpty(reference.Name) || reference.Name.Length > 253 || !FullMatch(DnsSubdomain(), reference.Name))
            {
                errors.Add($"{field}.secretRef.name: '{reference.Name}' must be a Secret name (DNS subdomain)");
            }
            if (string.IsNullOrEmpty(reference.Key) || reference.Key.Length > 253 || !FullMatch(SecretKey(), reference.Key))
            {
                errors.Add($"{field}.secretRef.key: '{reference.Key}' must be a Secret key (letters, digits, '-', '_' and '.')");
            }
        }
        if (redis.TimeoutMs is { } timeout) Range(errors, $"{field}.timeoutMs", timeout, 1, 60000);
    }

    private static void ValidatePreprocessing(PreprocessingSpec? pre, List<string> errors)
    {
        if (pre is null)
        {
            return;
        }
        Name(errors, "spec.preprocessing.input", pre.Input);
        if (pre.ResizeShorterSide is { } resize) Range(errors, "spec.preprocessing.resizeShorterSide", resize, 1, 16384);
        if (pre.Height is { } height) Range(errors, "spec.preprocessing.height", height, 1, 16384);
        if (pre.Width is { } width) Range(errors, "spec.preprocessing.width", width, 1, 16384);
        if (pre.Layout is { } layout && !Enum.IsDefined(layout)) errors.Add($"spec.preprocessing.layout: '{layout}' must be NCHW or NHWC");
        if (pre.ChannelOrder is { } order && !Enum.IsDefined(order)) errors.Add($"spec.preprocessing.channelOrder: '{order}' must be RGB or BGR");
        if (pre.DataType is { } type && !Enum.IsDefined(type)) errors.Add($"spec.preprocessing.dataType: '{type}' must be FP32, FP16 or UINT8");
        if (pre.Scale is { } scale && !(scale > 0 && scale <= 1e6))
        {
            errors.Add($"spec.preprocessing.scale: {Number(scale)} must be greater than 0 and at most 1000000");
        }
        Channels(errors, "spec.preprocessing.mean", pre.Mean, positive: false);
        Channels(errors, "spec.preprocessing.std", pre.Std, positive: true);
        if (pre.MaxPixels is { } maxPixels) Range(errors, "spec.preprocessing.maxPixels", maxPixels, 1, 1L << 30);
    }

    private static void Channels(List<string> errors, string field, IList<double>? values, bool positive)
    {
        if (values is null)
        {
            return;
        }
        if (values.Count != 3)
        {
            errors.Add($"{field}: must list 3 values, one per channel (has {values.Count})");
            return;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value) || value < -1e6 || value > 1e6 || (positive && value <= 0))
            {
                errors.Add(positive
                    ? $"{field}[{i}]: {Number(value)} must be greater than 0 and at most 1000000"
                    : $"{field}[{i}]: {Number(value)} must be between -1000000 and 1000000");
            }
        }
    }

    /// <summary>A byte quantity: a number of bytes within bounds (a fraction counts as the next byte).</summary>
    private static void Bytes(List<string> errors, string field, ResourceQuantity? quantity, long minimum, long maximum, string? maximumText)
    {
        if (quantity is null)
        {
            return;
        }
        var bytes = Quantities.WholeBytes(quantity);
        if (bytes is null || bytes < minimum || bytes > maximum)
        {
            var text = Quantities.Display(quantity);
            errors.Add(maximumText is null
                ? $"{field}: '{text}' must be a number of bytes of at least {minimum}"
                : $"{field}: '{text}' must be between {minimum} bytes and {maximumText}");
        }
    }

    private static void HeaderName(List<string> errors, string field, string? name)
    {
        if (name is not null && (name.Length > 256 || !FullMatch(HttpHeaderName(), name)))
        {
            errors.Add($"{field}: '{name}' must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~), or empty");
        }
    }

    /// <summary>A tensor name: optional, not empty, at most 256 characters.</summary>
    private static void Name(List<string> errors, string field, string? name)
    {
        if (name is not null && name.Length is 0 or > 256)
        {
            errors.Add($"{field}: must be 1 to 256 characters when set");
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(RateLimitGrammar.Pattern)]
    private static partial Regex RateLimitList();

    [GeneratedRegex(RateLimitsSpec.HeaderNamePattern)]
    private static partial Regex HttpHeaderName();

    [GeneratedRegex(SecretKeyReference.KeyPattern)]
    private static partial Regex SecretKey();
}
