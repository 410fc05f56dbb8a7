using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Grpc;

/// <summary>Adds the V2 gRPC endpoint to the pod: its own HTTP/2 port beside REST, and the service.</summary>
public static class GrpcHosting
{
    public static void AddPodGrpc(this WebApplicationBuilder builder, PodOptions options)
    {
        var endpoints = ListenEndpoints.Resolve(builder.Configuration, options.Server);
        // Every endpoint is configured explicitly; clearing the host's address settings keeps it
        // from binding them a second time or warning that they were overridden.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.ConfigureKestrel(endpoints.Configure);
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddGrpc(grpc =>
        {
            // The same body limit as REST: a mobilenet batch is larger than gRPC's 4 MB default.
            grpc.MaxReceiveMessageSize = (int)Math.Min(options.Server.MaxRequestBodyBytes, int.MaxValue);
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton<V2GrpcService>();
    }

    public static void MapPodGrpc(this WebApplication app) => app.MapGrpcService<V2GrpcService>();
}
