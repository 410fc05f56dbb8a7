using Platform.Contracts;

namespace Platform.InferencePod.Configuration;

/// <summary>Which model to serve and how to run it (section "Model").</summary>
public sealed class ModelOptions
{
    /// <summary>Path of the .onnx file; in a cluster a read-only volume mount.</summary>
    public string Path { get; set; } = "";
    /// <summary>Name the model is served under; default: the file name without extension.</summary>
    public string? Name { get; set; }
    public string Version { get; set; } = "1";
    /// <summary>
    /// Independent ONNX Runtime sessions, each with its own batch loop; 0 (unset) lets the pod
    /// choose with <see cref="IntraOpThreads"/> (one session when only that is set).
    /// </summary>
    public int Instances { get; set; }
    public string ExecutionProvider { get; set; } = PodSettings.ExecutionProviders.Cpu;
    public int DeviceId { get; set; }
    /// <summary>Intra-op threads per session; 0 shares the CPUs this container may use among the instances.</summary>
    public int IntraOpThreads { get; set; }
    /// <summary>
    /// With neither <see cref="Instances"/> nor <see cref="IntraOpThreads"/> set, on the CPU provider:
    /// whether start-up measures the instances x threads layouts of the allowed CPUs and keeps the
    /// fastest; off, one session gets every CPU.
    /// </summary>
    public bool ThreadLayoutSearch { get; set; } = true;
    /// <summary>
    /// Whether idle intra-op threads spin before sleeping. Spinning saves the wake-up of each
    /// parallel operator (milliseconds per run on convolutional models); turning it off frees
    /// the cores for request handling between runs.
    /// </summary>
    public bool AllowSpinning { get; set; } = true;

    public string ResolvedName => string.IsNullOrWhiteSpace(Name) ? System.IO.Path.GetFileNameWithoutExtension(Path) : Name!;
}
