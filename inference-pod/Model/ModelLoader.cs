using Microsoft.ML.OnnxRuntime;
using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;

namespace Platform.InferencePod.Model;

/// <summary>Creates the ONNX Runtime sessions once at start and reads what the model declares.</summary>
public static class ModelLoader
{
    public const string CudaProvider = "CUDAExecutionProvider";

    public static LoadedModel Load(ModelOptions options) => Load(options, new GpuOptions(), maxBatchSize: 1);

    /// <param name="maxBatchSize">Rows of the runs a thread-layout search measures (<see cref="LayoutSearch"/>).</param>
    public static LoadedModel Load(ModelOptions options, GpuOptions gpu, int maxBatchSize)
    {
        var (candidates, source) = ThreadLayouts.Candidates(options, Environment.ProcessorCount);
        ModelMetadata? metadata = null;
        ModelInstance[] Create(ThreadLayout layout)
        {
            var sessions = new List<InferenceSession>(layout.Instances);
            try
            {
                for (var i = 0; i < layout.Instances; i++) sessions.Add(CreateSession(options, gpu, layout.IntraOpThreads));
                metadata ??= ReadMetadata(sessions[0], options);
                return sessions.Select((s, i) => new ModelInstance(s, metadata, i)).ToArray();
            }
            catch
            {
                foreach (var session in sessions) session.Dispose();
                throw;
            }
        }
        try
        {
            if (source != ThreadLayoutSource.Measured)
            {
                var fixedInstances = Create(candidates[0]);
                return new LoadedModel(metadata!, fixedInstances, candidates[0], source, search: null);
            }
            var (instances, outcome) = LayoutSearch.Run(candidates, Create, maxBatchSize);
            return new LoadedModel(metadata!, instances, outcome.Chosen, source, outcome);
        }
        catch (Exception e) when (e is not (OnnxRuntimeException or StartupException) && metadata is not null)
        {
            // The sessions loaded but a measuring run failed: the model cannot run its own declared shapes.
            throw new StartupException($"{PodSettings.ModelPath} '{options.Path}': a run of the thread-layout search failed: {FirstLine(e.Message)}", e);
        }
        catch (OnnxRuntimeException e)
        {
            var reason = options.ExecutionProvider == PodSettings.ExecutionProviders.Cuda && IsProviderLoadFailure(e) ? PodExitReasons.GpuRuntimeUnavailable : null;
            throw new StartupException($"{PodSettings.ModelPath} '{options.Path}' could not be loaded: {FirstLine(e.Message)}", e, reason);
        }
    }

    private static InferenceSession CreateSession(ModelOptions options, GpuOptions gpu, int intraOpThreads)
    {
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
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
        if (!node.IsTensor || !OnnxTensorTypes.TryFromOnnx(node.ElementDataType, out var type))
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

/// <summary>The loaded model: its metadata, one instance per session, and how the CPUs were split among them.</summary>
public sealed class LoadedModel(ModelMetadata metadata, ModelInstance[] instances, ThreadLayout layout, ThreadLayoutSource layoutSource, LayoutSearch.Outcome? search) : IDisposable
{
    public ModelMetadata Metadata { get; } = metadata;
    public IReadOnlyList<ModelInstance> Instances { get; } = instances;
    public ThreadLayout Layout { get; } = layout;
    public ThreadLayoutSource LayoutSource { get; } = layoutSource;
    /// <summary>What the start-up search measured; null when the layout was not measured.</summary>
    public LayoutSearch.Outcome? Search { get; } = search;

    public void Dispose()
    {
        foreach (var instance in Instances) instance.Dispose();
    }
}
