using Microsoft.ML.OnnxRuntime;
using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;

namespace Platform.InferencePod.Model;

/// <summary>Creates the ONNX Runtime sessions once at start and reads what the model declares.</summary>
public static class ModelLoader
{
    public const string CudaProvider = "CUDAExecutionProvider";

    public static LoadedModel Load(ModelOptions options) => Load(options, new GpuOptions());

    public static LoadedModel Load(ModelOptions options, GpuOptions gpu)
    {
        var sessions = new List<InferenceSession>();
        try
        {
            for (var i = 0; i < options.Instances; i++) sessions.Add(CreateSession(options, gpu));
            var metadata = ReadMetadata(sessions[0], options);
            var instances = sessions.Select((s, i) => new ModelInstance(s, metadata, i)).ToArray();
            return new LoadedModel(metadata, instances);
        }
        catch (Exception e) when (e is OnnxRuntimeException or StartupException)
        {
            foreach (var session in sessions) session.Dispose();
            if (e is StartupException) throw;
            var reason = options.ExecutionProvider == PodSettings.ExecutionProviders.Cuda && IsProviderLoadFailure(e) ? PodExitReasons.GpuRuntimeUnavailable : null;
            throw new StartupException($"{PodSettings.ModelPath} '{options.Path}' could not be loaded: {FirstLine(e.Message)}", e, reason);
        }
    }

    private static InferenceSession CreateSession(ModelOptions options, GpuOptions gpu)
    {
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        if (options.ExecutionProvider == PodSettings.ExecutionProviders.Cuda)
        {
            var available = OrtEnv.Instance().GetAvailableProviders();
            if (!available.Contains(CudaProvider))
            {
                throw new StartupException(
                    $"{PodSettings.ModelExecutionProvider} is '{PodSettings.ExecutionProviders.Cuda}' but this build of ONNX Runtime has no CUDA execution provider " +
                    $"(available: {string.Join(", ", available)}); use the GPU image, built with -p:OnnxRuntimeFlavor=Gpu");
            }
            // Every library the provider needs, and the device, are checked first: ONNX Runtime would
            // name only the first missing library, and a session without the provider runs on the CPU.
            CudaRuntimeCheck.EnsureUsable(options.DeviceId);
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(CudaProviderOptions.For(options.DeviceId, gpu));
            sessionOptions.AppendExecutionProvider_CUDA(cuda);
        }
        return new InferenceSession(options.Path, sessionOptions);
    }

    private static ModelMetadata ReadMetadata(InferenceSession session, ModelOptions options)
    {
        return new ModelMetadata(
            options.ResolvedName,
            options.Version,
            session.InputNames.Select(n => Spec(n, session.InputMetadata[n], "input")).ToArray(),
            session.OutputNames.Select(n => Spec(n, session.OutputMetadata[n], "output")).ToArray());
    }

    private static TensorSpec Spec(string name, NodeMetadata node, string kind)
    {
        if (!node.IsTensor || !TensorDataTypes.TryFromOnnx(node.ElementDataType, out var type))
            throw new StartupException($"{PodSettings.ModelPath}: {kind} '{name}' has type {node.ElementDataType}, which the pod does not serve");
        return new TensorSpec(name, type, node.Dimensions.Select(d => d < 0 ? -1L : d).ToArray());
    }

    /// <summary>ONNX Runtime's own words when the CUDA provider library or CUDA itself fails to start.</summary>
    private static bool IsProviderLoadFailure(Exception e) =>
        e.Message.Contains("Failed to load library", StringComparison.Ordinal)
        || e.Message.Contains("CUDA failure", StringComparison.Ordinal)
        || e.Message.Contains("cudaGetDeviceCount", StringComparison.Ordinal);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}

/// <summary>The loaded model: its metadata and one instance per configured session.</summary>
public sealed class LoadedModel(ModelMetadata metadata, ModelInstance[] instances) : IDisposable
{
    public ModelMetadata Metadata { get; } = metadata;
    public IReadOnlyList<ModelInstance> Instances { get; } = instances;

    public void Dispose()
    {
        foreach (var instance in Instances) instance.Dispose();
    }
}
