using System.Runtime.InteropServices;
using Grpc.Core;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Grpc;

/// <summary>gRPC ModelInfer goes through the same admission queue, deadlines and batcher as REST.</summary>
public sealed class GrpcAdmissionTests
{
    private const string Runs = "platform_inference_batch_size_sum{model=\"mobilenet_v2\"}";
    private static readonly long[] ImageShape = [2, 3, 224, 224];
    private static readonly float[] Image = V2Requests.RandomFloats(2 * 3 * 224 * 224, seed: 9);

    private static Task<PodServer> OneAtATimeAsync(string capacity) => PodServer.StartAsync(TestModels.MobileNet, new Dictionary<string, string?>
    {
        ["Batching:MaxBatchSize"] = "2", ["Warmup:Iterations"] = "1", ["Model:IntraOpThreads"] = "1", ["Queue:Capacity"] = capacity,
    });

    [Fact]
    public async Task Mobilenet_outputs_equal_rest_and_a_full_queue_is_resource_exhausted_with_retry_after()
    {
        await using var pod = await OneAtATimeAsync("2");
        var rest = await pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", ImageShape, Image));
        var (_, expected) = await V2Requests.ReadBinaryAsync(rest);
        var single = await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image));
        Assert.Equal([2L, 1000L], single.Outputs[0].Shape);
        DirectRun.AssertClose(expected, GrpcRequests.FirstOutput(single), relative: 1e-5);

        var rowsBefore = await pod.MetricAsync(Runs);
        var calls = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            try
            {
                return (Response: await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image)), Error: (RpcException?)null);
            }
            catch (RpcException e)
            {
                return (Response: (ModelInferResponse?)null, Error: e);
            }
        }));
        var refused = calls.Where(c => c.Error is not null).Select(c => c.Error!).ToArray();
        var served = calls.Count(c => c.Response is not null);
        Assert.NotEmpty(refused);
        Assert.Equal(16, served + refused.Length);
        foreach (var error in refused)
        {
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
            Assert.Contains("the queue is full (2 requests)", error.Status.Detail);
            Assert.True(int.Parse(error.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
        Assert.Equal(refused.Length, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"queue_full\"}"));
        Assert.Equal(2 * served, await pod.MetricAsync(Runs) - rowsBefore);
    }

    [Fact]
    public async Task A_call_whose_deadline_passes_in_the_queue_is_deadline_exceeded_and_never_computed()
    {
        await using var pod = await OneAtATimeAsync("32");
        var rowsBefore = await pod.MetricAsync(Runs);
        const int backlogCount = 16;
        var backlog = Enumerable.Range(0, backlogCount).Select(_ => pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image)).ResponseAsync).ToArray();
        await AdmissionTests.WaitUntilAsync(async () =>
            await pod.MetricAsync("platform_inference_in_flight_requests{model=\"mobilenet_v2\"}") + await pod.MetricAsync("platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}") >= backlogCount);
        Assert.True(await pod.MetricAsync("platform_inference_queue_depth{model=\"mobilenet_v2\"}") >= 2, "the test needs a backlog ahead of the late call");

        var late = pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image), deadline: DateTime.UtcNow.AddMilliseconds(40));
        var error = await Assert.ThrowsAsync<RpcException>(() => late.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await Task.WhenAll(backlog);
        await AdmissionTests.WaitUntilAsync(async () =>
            await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"deadline\"}") + await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"client_disconnected\"}") >= 1);
        Assert.Equal(1, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"deadline\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"client_disconnected\"}"));
        Assert.Equal(2 * backlogCount, await pod.MetricAsync(Runs) - rowsBefore);
    }
}
