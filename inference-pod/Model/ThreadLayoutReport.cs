using System.Globalization;
using Platform.Contracts;

namespace Platform.InferencePod.Model;

/// <summary>The start-up log's one line on the thread layout: what runs, on how many CPUs, and why.</summary>
public static class ThreadLayoutReport
{
    public static string Describe(ThreadLayout layout, ThreadLayoutSource source, LayoutSearch.Outcome? search, int allowedCpus)
    {
        var head = $"Thread layout {layout.Instances} instance(s) x {layout.IntraOpThreads} intra-op thread(s) on {allowedCpus} allowed CPU(s): ";
        var why = source switch
        {
            ThreadLayoutSource.Configured => $"set by {PodSettings.ModelInstances}/{PodSettings.ModelIntraOpThreads}",
            ThreadLayoutSource.Cuda => $"one session for the '{PodSettings.ExecutionProviders.Cuda}' provider",
            ThreadLayoutSource.SearchOff => $"one session on every CPU ({PodSettings.ModelThreadLayoutSearch} is off)",
            ThreadLayoutSource.OnlyOne => "the only layout of one CPU",
            _ when search is not null => string.Create(CultureInfo.InvariantCulture,
                $"the fastest measured, in {search.Elapsed.TotalSeconds:F2} s at batch size {search.BatchSize} ({string.Join(", ", search.Measured.Select(m => $"{m.Layout} {m.Best:F0} rows/s"))})"),
            _ => "measured",
        };
        return head + why;
    }
}
