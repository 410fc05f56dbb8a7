namespace Platform.InferencePod.Configuration;

/// <summary>HTTP serving and shutdown (section "Server").</summary>
public sealed class ServerOptions
{
    /// <summary>How long a SIGTERM waits for accepted requests to finish before the process exits.</summary>
    public double DrainTimeoutSeconds { get; set; } = 30;
    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>Port of the V2 gRPC endpoint (HTTP/2 cleartext), beside the REST port; 0 lets the system choose.</summary>
    public int GrpcPort { get; set; } = Platform.Contracts.PodSettings.DefaultGrpcPort;

    /// <summary>File that receives the one-line reason when start-up fails (Kubernetes' termination message).</summary>
    public string TerminationMessagePath { get; set; } = Platform.Contracts.PodSettings.DefaultTerminationMessagePath;

    public TimeSpan DrainTimeout => TimeSpan.FromSeconds(DrainTimeoutSeconds);
}
