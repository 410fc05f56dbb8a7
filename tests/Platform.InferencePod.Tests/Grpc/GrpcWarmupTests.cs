using Grpc.Core;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Grpc;

/// <summary>Readiness over gRPC, and the gRPC path warmed up before the pod turns ready.</summary>
public sealed class GrpcWarmupTests
{
    [Fact]
    public async Task Before_warm_up_has_run_grpc_says_not_ready_and_refuses_inference()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet,
            new Dictionary<string, string?> { ["Warmup:BatchSizes"] = "8", ["Warmup:Iterations"] = "6" }, waitForReady: false);
        Assert.False(pod.State.WarmedUp);
        Assert.True((await pod.Grpc.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.False((await pod.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.False((await pod.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "mobilenet_v2" })).Ready);
        var early = await Assert.ThrowsAsync<RpcException>(() =>
            pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", [1, 3, 224, 224], new float[3 * 224 * 224])).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, early.StatusCode);
        Assert.Equal("model 'mobilenet_v2' is warming up and not ready yet", early.Status.Detail);

        await pod.State.WhenWarmedUp.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True((await pod.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "mobilenet_v2" })).Ready);
    }

    [Fact]
    public async Task The_grpc_path_is_warmed_up_before_ready_and_its_calls_count_in_no_serving_metric()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp);
        // Every warm-up call went through the pipeline as warm-up: the protocol's (JSON and
        // binary), REST's over loopback (JSON and binary), then gRPC's. Had the pod not known its
        // own connections, the calls before ready would have been refused as not ready.
        var warmupCalls = ProtocolWarmup.Iterations * 2 + HttpWarmup.Iterations * 2 + GrpcWarmup.Iterations;
        Assert.Equal(warmupCalls, pod.App.Services.GetRequiredService<InferencePipeline>().WarmupCallsAnswered);
        // None of them shows in what the autoscaler and dashboards read.
        Assert.Equal(0, await pod.MetricAsync("platform_inference_batch_size_count{model=\"mlp\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_queue_wait_seconds_count{model=\"mlp\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_compute_duration_seconds_count{model=\"mlp\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_rejections_total{model=\"mlp\",reason=\"not_ready\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"200\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_request_duration_seconds_count{model=\"mlp\"}"));
    }
}
