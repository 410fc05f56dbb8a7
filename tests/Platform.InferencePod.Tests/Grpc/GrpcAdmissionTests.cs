using System.Runtime.InteropServices;
using Grpc.Core;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Grpc;

/// <summary>gRPC ModelInfer goes through the same admission queue, deadlines and batcher as REST.</summary>
public sealed class GrpcAdmissionTests
{
    private const string Runs = "platform_inference_batch_size_sum{model=\"mobilenet_v2\"}";
    private static readonly long[] ImageShape = [2, 3, 224, 224];
    private static readonly float[] Image = V2Requests.RandomFloats(2 * 3 * 224 * 224, seed: 9);

    private const string QueueDepth = "platform_inference_queue_depth{model=\"mobilenet_v2\"}";

    /// <summary>One two-image request per run, behind a gate the test opens and closes.</summary>
    private static Task<PodServer> OneAtATimeAsync(string capacity, RunGate gate) => PodServer.StartAsync(TestModels.MobileNet, new Dictionary<string, string?>
    {
        ["Batching:MaxBatchSize"] = "2", ["Warmup:Iterations"] = "1", ["Queue:Capacity"] = capacity,
    }, gate: gate);

    private static Task<ModelInferResponse> InferAsync(PodServer pod, DateTime? deadline = null) =>
        pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image), deadline: deadline).ResponseAsync;

    [Fact]
    public async Task Mobilenet_outputs_equal_rest_and_a_full_queue_is_resource_exhausted_with_retry_after()
    {
        var gate = new RunGate();
        await using var pod = await OneAtATimeAsync("2", gate);
        var rest = await pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", ImageShape, Image));
        var (_, expected) = await V2Requests.ReadBinaryAsync(rest);
        var single = await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image));
        Assert.Equal([2L, 1000L], single.Outputs[0].Shape);
        DirectRun.AssertClose(expected, GrpcRequests.FirstOutput(single), relative: 1e-5);

        gate.Close();
        var held = await pod.HoldRunAsync(() => InferAsync(pod));
        var rowsBefore = await pod.MetricAsync(Runs);
        var pending = Enumerable.Range(0, 16).Select(async _ =>
        {
            try
            {
                return (Response: await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mobilenet_v2", "input", ImageShape, Image)), Error: (RpcException?)null);
            }
            catch (RpcException e)
            {
                return (Response: (ModelInferResponse?)null, Error: e);
            }
        }).ToArray();
        // Two calls fit in the queue; the other 14 are refused at once, while the held run blocks the loop.
        await AdmissionTests.WaitUntilAsync(() => Task.FromResult(pending.Count(c => c.IsCompleted) == 14));
        Assert.Equal(2, await pod.MetricAsync(QueueDepth));
        gate.Open();
        Assert.Equal([2L, 1000L], (await held).Outputs[0].Shape);
        var calls = await Task.WhenAll(pending);
        var refused = calls.Where(c => c.Error is not null).Select(c => c.Error!).ToArray();
        var served = calls.Count(c => c.Response is not null);
        Assert.Equal(14, refused.Length);
        Assert.Equal(2, served);
        foreach (var error in refused)
        {
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
            Assert.Contains("the queue is full (2 requests)", error.Status.Detail);
            Assert.True(int.Parse(error.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
        Assert.Equal(refused.Length, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"queue_full\"}"));
        // The served calls and the held one, two images each.
        Assert.Equal(2 * (served + 1), await pod.MetricAsync(Runs) - rowsBefore);
    }

    [Fact]
    public async Task A_call_whose_deadline_passes_in_the_queue_is_deadline_exceeded_and_never_computed()
    {
        var gate = new RunGate();
        await using var pod = await OneAtATimeAsync("32", gate);
        gate.Close();
        var rowsBefore = await pod.MetricAsync(Runs);
        // One run held ahead, past its expected time: the late call's deadline is well above the
        // backlog's estimate, so it is admitted, and it passes while the held run blocks the loop.
        var held = await pod.HoldRunAsync(() => InferAsync(pod));

        var late = InferAsync(pod, deadline: DateTime.UtcNow.AddMilliseconds(600));
        var error = await Assert.ThrowsAsync<RpcException>(() => late);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        gate.Open();
        await held;
        await AdmissionTests.WaitUntilAsync(async () =>
            await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"deadline\"}") + await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"client_disconnected\"}") >= 1);
        Assert.Equal(1, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"deadline\"}"));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"client_disconnected\"}"));
        // Only the held call was computed.
        Assert.Equal(2, await pod.MetricAsync(Runs) - rowsBefore);
    }
}
