using Platform.Operator.Hosting;

try
{
    var app = OperatorHost.Build(args);
    await app.RunAsync();
    return Environment.ExitCode;
}
catch (OperatorStartupException e)
{
    Console.Error.WriteLine($"platform-operator: {e.Message}");
    return 2;
}
