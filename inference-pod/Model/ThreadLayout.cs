using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Model;

/// <summary>
/// How many ONNX Runtime intra-op threads each session gets. Unless set, the CPUs this process
/// may use (<see cref="Environment.ProcessorCount"/>, which honours the container's CPU quota
/// and CPU set) are shared out among the instances: never ONNX Runtime's own default, which
/// counts the node's cores and, in a pod limited to a few CPUs on a large node, starts dozens
/// of spinning threads.
/// </summary>
public static class ThreadLayout
{
    /// <param name="allowedCpus">CPUs this process may use.</param>
    public static int IntraOpThreads(ModelOptions options, int allowedCpus) =>
        options.IntraOpThreads > 0 ? options.IntraOpThreads : Math.Max(1, allowedCpus / Math.Max(1, options.Instances));
}
