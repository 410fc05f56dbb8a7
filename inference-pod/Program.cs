using Platform.InferencePod.Configuration;
using Platform.InferencePod.Hosting;

try
{
    var app = PodApp.Build(args);
    await app.RunAsync();
    return Environment.ExitCode;
}
catch (StartupException e)
{
    // One line that names the setting; no stack trace for a problem the user fixes in configuration.
    Console.Error.WriteLine($"inference-pod: {e.Message}");
    return 2;
}
