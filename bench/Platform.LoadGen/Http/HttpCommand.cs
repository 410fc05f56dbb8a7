using Platform.LoadGen.Cli;
using Platform.LoadGen.Reporting;

namespace Platform.LoadGen.Http;

/// <summary>"loadgen http": one closed- or open-loop run against a server.</summary>
internal static class HttpCommand
{
    public static async Task<int> RunAsync(ArgReader args, CancellationToken cancel)
    {
        var options = HttpOptions.Read(args);
        args.RejectUnknown("http");
        var time = TimeProvider.System;
        using var target = await HttpTarget.PrepareAsync(options, time, cancel);
        Console.Error.WriteLine(options.Mode == LoadMode.Closed
            ? $"http: closed loop, {Format.Clients(options.Concurrency)}, warm-up {options.Warmup.TotalSeconds:0.#} s, window {options.Duration.TotalSeconds:0.#} s ..."
            : $"http: open loop, {options.Rate} req/s ({options.Arrivals.ToString().ToLowerInvariant()}), warm-up {options.Warmup.TotalSeconds:0.#} s, window {options.Duration.TotalSeconds:0.#} s ...");
        var summary = await HttpLoad.RunAsync(target.Client, target.Request, options, time, cancel);
        HttpReport.Print(summary, Console.Out);
        JsonReport.WriteIfAsked(options.JsonPath, new { Command = "http", Options = options, Result = summary });
        return 0;
    }
}
