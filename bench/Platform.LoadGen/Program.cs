using Platform.LoadGen;
using Platform.LoadGen.Cli;
using Platform.LoadGen.Compare;
using Platform.LoadGen.Http;
using Platform.LoadGen.Raw;

// The first Ctrl+C ends the run early and still reports what was measured; a second one kills.
using var cancel = new CancellationTokenSource();
var interrupts = 0;
Console.CancelKeyPress += (_, e) =>
{
    if (Interlocked.Increment(ref interrupts) == 1)
    {
        e.Cancel = true;
        // Off the signal thread: cancellation callbacks run the rest of the command.
        _ = Task.Run(cancel.Cancel);
    }
};

try
{
    if (args.Length == 0 || args[0] is "help" or "--help" or "-h" || args.Contains("--help"))
    {
        Console.WriteLine(Usage.Text);
        return args.Length == 0 ? 2 : 0;
    }
    var options = new ArgReader(args[1..]);
    return args[0] switch
    {
        "http" => await HttpCommand.RunAsync(options, cancel.Token),
        "raw" => RawCommand.Run(options, cancel.Token),
        "compare" => await CompareCommand.RunAsync(options, cancel.Token),
        _ => throw new UsageException($"unknown command '{args[0]}' (commands: http, raw, compare, help)"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    Console.Error.WriteLine("run 'loadgen help' for the options");
    return 2;
}
catch (LoadGenException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("loadgen: cancelled before the run started");
    return 130;
}
