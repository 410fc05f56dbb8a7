using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Memory;

MallocArenas.Limit();
try
{
    var app = PodApp.Build(args);
    await app.RunAsync();
    return Environment.ExitCode;
}
catch (StartupException e)
{
    // One line that names the setting; no stack trace for a problem the user fixes in configuration.
    var line = e.Reason is null ? e.Message : PodExitReasons.Format(e.Reason, e.Message);
    Console.Error.WriteLine($"inference-pod: {line}");
    TerminationMessage.Write(args, line);
    return 2;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Another process holds a port: one line naming the settings that choose them.
    var line = $"{e.Message} Choose free ports with --urls (or {PodSettings.HttpPortsEnvVar}) and {PodSettings.ServerGrpcPort}.";
    Console.Error.WriteLine($"inference-pod: {line}");
    TerminationMessage.Write(args, line);
    return 2;
}
