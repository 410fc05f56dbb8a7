using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Grpc;

/// <summary>Adds the V2 gRPC endpoint to the pod: its own HTTP/2 port beside REST, and the service.</summary>
public static class GrpcHosting
{
    public static void AddPodGrpc(this WebApplicationBuilder builder, PodOptions options)
    {
        var endpoints = ListenEndpoints.Resolve(builder.Configuration, options.Server);
        // Every endpoint is configured explicitly, so the host must hand Kestrel no addresses of
        // its own (Kestrel would warn that they are overridden). An empty "urls" falls back to the
        // host's copy of the original setting; ";" is a non-empty list of no addresses.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, ";");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.WebHost.ConfigureKestrel(endpoints.Configure);
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddGrpc(grpc =>
        {
            // The same body limit as REST: a mobilenet batch is larger than gRPC's 4 MB default.
            grpc.MaxReceiveMessageSize = (int)Math.Min(options.Server.MaxRequestBodyBytes, int.MaxValue);
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton<V2GrpcService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<V2GrpcService>, V2GrpcMethodProvider>());
    }

    public static void MapPodGrpc(this WebApplication app) => app.MapGrpcService<V2GrpcService>();
}
