using Microsoft.ML.OnnxRuntime;
using Platform.LoadGen.Measurement;
using Platform.LoadGen.Tensors;

namespace Platform.LoadGen.Raw;

/// <summary>
/// An InferenceSession configured as a CPU serving pod would be (fixed intra-op threads, sequential
/// execution, every graph optimization), measured with inputs and outputs bound once so that each
/// timed Run does nothing but compute.
/// </summary>
internal sealed class RawSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _modelName;
    private readonly int _threads;
    private readonly TimeProvider _time;

    private RawSession(InferenceSession session, string modelName, int threads, TimeProvider time) =>
        (_session, _modelName, _threads, _time) = (session, modelName, threads, time);

    public static RawSession Load(string modelPath, int threads, TimeProvider time, string provider = RawOptions.Cpu, int deviceId = 0)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            if (provider == RawOptions.Cuda)
            {
                if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
                {
                    throw new LoadGenException("--provider cuda needs loadgen built with -p:OnnxRuntimeFlavor=Gpu (this build of ONNX Runtime has no CUDA provider)");
                }
                // As the GPU pod configures it by default (Gpu: settings left at their defaults).
                // Inputs stay in host memory and are copied each run, as the pod's are.
                options.AppendExecutionProvider_CUDA(deviceId);
            }
            return new RawSession(new InferenceSession(modelPath, options), Path.GetFileName(modelPath), threads, time);
        }
        catch (OnnxRuntimeException e)
        {
            throw new LoadGenException($"ONNX Runtime cannot load '{modelPath}': {e.Message}", e);
        }
    }

    public RawRunSummary Measure(int batch, TimeSpan warmup, TimeSpan duration, int seed, CancellationToken cancel)
    {
        var random = new Random(seed);
        var values = new List<OrtValue>();
        try
        {
            using var binding = _session.CreateIoBinding();
            foreach (var (name, meta) in _session.InputMetadata)
            {
                var input = CreateRandomInput(name, meta, batch, random);
                values.Add(input);
                binding.BindInput(name, input);
            }
            foreach (var (name, meta) in _session.OutputMetadata)
            {
                if (PreallocatedOutput(meta, batch) is { } output)
                {
                    values.Add(output);
                    binding.BindOutput(name, output);
                }
                else
                {
                    // Shape unknown before the run: ONNX Runtime allocates it each time.
                    binding.BindOutputToDevice(name, OrtMemoryInfo.DefaultInstance);
                }
            }
            using var runOptions = new RunOptions();
            return Time(binding, runOptions, batch, warmup, duration, cancel);
        }
        catch (OnnxRuntimeException e)
        {
            throw new LoadGenException($"ONNX Runtime failed on {_modelName} at batch {batch}: {e.Message}", e);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private RawRunSummary Time(OrtIoBinding binding, RunOptions runOptions, int batch, TimeSpan warmup, TimeSpan duration, CancellationToken cancel)
    {
        // A few runs always precede timing: the first ones allocate the arena and pick kernels.
        const int minimumWarmupRuns = 3;
        var warmupStart = _time.GetTimestamp();
        for (var i = 0; (i < minimumWarmupRuns || _time.GetElapsedTime(warmupStart) < warmup) && !cancel.IsCancellationRequested; i++)
        {
            _session.RunWithBinding(runOptions, binding);
        }

        var latencies = new List<long>(capacity: 4096);
        var start = _time.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * _time.TimestampFrequency);
        var now = start;
        do
        {
            var before = now;
            _session.RunWithBinding(runOptions, binding);
            now = _time.GetTimestamp();
            latencies.Add(now - before);
        }
        while (now < deadline && !cancel.IsCancellationRequested);

        var seconds = (double)(now - start) / _time.TimestampFrequency;
        return new RawRunSummary(
            _modelName,
            _threads,
            batch,
            latencies.Count,
            seconds,
            latencies.Count / seconds,
            latencies.Count * (double)batch / seconds,
            LatencySummary.FromTicks(latencies, _time.TimestampFrequency)!,
            Environment.WorkingSet);
    }

    private static OrtValue CreateRandomInput(string name, NodeMetadata meta, int batch, Random random)
    {
        if (!meta.IsTensor)
        {
            throw new LoadGenException($"input '{name}' is not a tensor ({meta.OnnxValueType}); loadgen feeds tensors only");
        }
        var type = TensorDataType.FromOrt(name, meta.ElementDataType);
        var shape = TensorShape.WithBatch(name, meta.Dimensions.Select(d => (long)d).ToList(), batch);
        var bytes = RandomTensor.Create(type, TensorShape.ElementCount(shape), random);
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, meta.ElementDataType, shape);
        bytes.CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    /// <summary>An output buffer bound once, when the output is a numeric tensor whose only free axis is the batch.</summary>
    private static OrtValue? PreallocatedOutput(NodeMetadata meta, int batch)
    {
        var dims = meta.Dimensions;
        var shapeKnown = meta.IsTensor && dims.Length > 0 && (dims[0] < 0 || dims[0] == batch) && dims.Skip(1).All(d => d >= 0);
        if (!shapeKnown || meta.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.String)
        {
            return null;
        }
        var shape = dims.Select(d => (long)d).ToArray();
        shape[0] = batch;
        return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, meta.ElementDataType, shape);
    }

    public void Dispose() => _session.Dispose();
}
