using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Model;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Grpc;

/// <summary>The V2 gRPC endpoint of a real pod, through a generated client over loopback HTTP/2.</summary>
public sealed class GrpcInferenceTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    private PodServer Pod => fixture.Pod;

    [Fact]
    public async Task Health_and_metadata_answer_like_rest()
    {
        Assert.True((await Pod.Grpc.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await Pod.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.True((await Pod.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "mlp" })).Ready);
        Assert.True((await Pod.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "mlp", Version = "1" })).Ready);

        var server = await Pod.Grpc.ServerMetadataAsync(new ServerMetadataRequest());
        var restServer = (await Pod.Client.GetFromJsonAsync<JsonObject>("/v2"))!;
        Assert.Equal((string)restServer["name"]!, server.Name);
        Assert.Equal((string)restServer["version"]!, server.Version);

        var model = await Pod.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = "mlp" });
        var restModel = (await Pod.Client.GetFromJsonAsync<JsonObject>("/v2/models/mlp"))!;
        Assert.Equal("mlp", model.Name);
        Assert.Equal(["1"], model.Versions);
        Assert.Equal((string)restModel["platform"]!, model.Platform);
        Assert.Equal("input", model.Inputs.Single().Name);
        Assert.Equal("FP32", model.Inputs.Single().Datatype);
        Assert.Equal(restModel["inputs"]![0]!["shape"]!.AsArray().Select(d => (long)d!), model.Inputs.Single().Shape);
        Assert.Equal(restModel["outputs"]![0]!["shape"]!.AsArray().Select(d => (long)d!), model.Outputs.Single().Shape);
    }

    [Theory]
    [InlineData("ModelReady")]
    [InlineData("ModelMetadata")]
    public async Task An_unknown_model_or_version_is_not_found(string call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            if (call == "ModelReady") await Pod.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "resnet" });
            else await Pod.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = "mlp", Version = "7" });
        });
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains(call == "ModelReady" ? "unknown model 'resnet'" : "has no version '7'", error.Status.Detail);
    }

    [Fact]
    public async Task Raw_and_typed_inputs_give_the_outputs_rest_gives()
    {
        var data = V2Requests.RandomFloats(3 * 64, seed: 21);
        var rest = JsonNode.Parse(await (await Pod.InferJsonAsync("mlp", V2Requests.Json("input", [3, 64], data))).Content.ReadAsStringAsync())!;
        var expected = V2Requests.JsonOutput(rest);

        var raw = await Pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [3, 64], data));
        Assert.Single(raw.RawOutputContents);
        Assert.Null(raw.Outputs[0].Contents);
        var typed = await Pod.Grpc.ModelInferAsync(GrpcRequests.Typed("mlp", "input", [3, 64], data));
        Assert.Empty(typed.RawOutputContents);

        foreach (var response in new[] { raw, typed })
        {
            Assert.Equal("mlp", response.ModelName);
            Assert.Equal("1", response.ModelVersion);
            Assert.Equal("output", response.Outputs[0].Name);
            Assert.Equal("FP32", response.Outputs[0].Datatype);
            Assert.Equal([3L, 10L], response.Outputs[0].Shape);
            DirectRun.AssertClose(expected, GrpcRequests.FirstOutput(response), relative: 1e-6);
        }
        Assert.Equal("g-1", raw.Id);
        Assert.Equal("g-2", typed.Id);
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [3, 64], data), GrpcRequests.FirstOutput(raw));
    }

    [Fact]
    public async Task Typed_inputs_get_raw_outputs_when_binary_output_is_asked_for()
    {
        var request = GrpcRequests.Typed("mlp", "input", [1, 64], V2Requests.RandomFloats(64, seed: 3));
        request.Parameters["binary_data_output"] = new InferParameter { BoolParam = true };
        var response = await Pod.Grpc.ModelInferAsync(request);
        Assert.Single(response.RawOutputContents);
        Assert.Equal(10 * sizeof(float), response.RawOutputContents[0].Length);
    }

    [Fact]
    public async Task Priority_and_timeout_parameters_are_accepted_and_checked()
    {
        var request = GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]);
        request.Parameters["priority"] = new InferParameter { Int64Param = 1 };
        request.Parameters["timeout"] = new InferParameter { Int64Param = 30_000_000 };
        Assert.Single((await Pod.Grpc.ModelInferAsync(request)).Outputs);

        request.Parameters["priority"] = new InferParameter { StringParam = "high" };
        var error = await Assert.ThrowsAsync<RpcException>(() => Pod.Grpc.ModelInferAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("parameter 'priority' must be an integer from 0 (default) to 2; 1 is the highest", error.Status.Detail);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "raw size", "input 'input': raw_input_contents[0] has 252 bytes but shape [1,64] of FP32 needs 256 bytes" },
        { "raw count", "raw_input_contents has 2 entries but the request has 1 inputs" },
        { "raw and typed", "input 'input' has typed contents but the request uses raw_input_contents" },
        { "unknown input", "unknown input 'pixels' (the model's inputs: input)" },
        { "wrong datatype", "input 'input' has datatype INT64 but the model expects FP32" },
        { "unsupported datatype", "input 'input': datatype 'BYTES' is not supported" },
        { "shape", "input 'input' has shape [1,63] but the model expects [-1,64] (-1 is any size)" },
        { "negative dimension", "input 'input': 'shape' must be an array of non-negative integers" },
        { "batch too large", "input 'input' has batch size 9; it must be between 1 and 8" },
        { "typed count", "input 'input': fp32_contents has 3 values but shape [1,64] needs 64" },
        { "typed field", "input 'input' is FP32, whose values go in fp32_contents, but its contents has 64 values in int_contents" },
        { "missing input", "missing input 'input' (the model's inputs: input)" },
        { "no name", "an input has no 'name'" },
        { "duplicate", "input 'input' appears more than once" },
        { "unknown output", "unknown output 'logits' (the model's outputs: output)" },
        { "classification", "the classification extension is not supported" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_invalid_argument_with_the_rest_message(string problem, string expected)
    {
        var request = GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]);
        switch (problem)
        {
            case "raw size": request.RawInputContents[0] = Google.Protobuf.ByteString.CopyFrom(request.RawInputContents[0].Span[..252]); break;
            case "raw count": request.RawInputContents.Add(request.RawInputContents[0]); break;
            case "raw and typed": request.Inputs[0].Contents = new InferTensorContents { Fp32Contents = { 1f } }; break;
            case "unknown input": request.Inputs[0].Name = "pixels"; break;
            case "wrong datatype": request.Inputs[0].Datatype = "INT64"; break;
            case "unsupported datatype": request.Inputs[0].Datatype = "BYTES"; break;
            case "shape": request.Inputs[0].Shape[1] = 63; break;
            case "negative dimension": request.Inputs[0].Shape[0] = -1; break;
            case "batch too large": request = GrpcRequests.Raw("mlp", "input", [9, 64], new float[9 * 64]); break;
            case "typed count": request = GrpcRequests.Typed("mlp", "input", [1, 64], [1, 2, 3]); break;
            case "typed field":
                request = GrpcRequests.Typed("mlp", "input", [1, 64], []);
                request.Inputs[0].Contents.IntContents.AddRange(new int[64]);
                break;
            case "missing input": request.Inputs.Clear(); request.RawInputContents.Clear(); break;
            case "no name": request.Inputs[0].Name = ""; break;
            case "duplicate":
                request.Inputs.Add(request.Inputs[0].Clone());
                request.RawInputContents.Add(request.RawInputContents[0]);
                break;
            case "unknown output": request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "logits" }); break;
            case "classification":
                request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "output", Parameters = { ["classification"] = new InferParameter { Int64Param = 3 } } });
                break;
        }
        var before = await Pod.MetricAsync("platform_inference_rejections_total{model=\"mlp\",reason=\"bad_request\"}");
        var error = await Assert.ThrowsAsync<RpcException>(() => Pod.Grpc.ModelInferAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(expected, error.Status.Detail);
        Assert.Equal(before + 1, await Pod.MetricAsync("platform_inference_rejections_total{model=\"mlp\",reason=\"bad_request\"}"));
    }

    [Fact]
    public async Task Bytes_that_are_not_a_protobuf_message_are_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Pod.GrpcChannel.CreateCallInvoker().AsyncUnaryCall(GrpcRequests.ModelInferBytes, null, new CallOptions(), [0x0A, 0xFF, 0xFF, 0xFF]).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("the request is not a valid inference.ModelInferRequest message: ", error.Status.Detail);
        Assert.True((await Pod.Grpc.ServerLiveAsync(new ServerLiveRequest())).Live);
    }

    [Fact]
    public async Task An_unknown_model_in_an_infer_call_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Pod.Grpc.ModelInferAsync(GrpcRequests.Raw("resnet", "input", [1, 64], new float[64])).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("unknown model 'resnet'; this server serves 'mlp'", error.Status.Detail);
    }

    [Fact]
    public async Task Grpc_calls_count_in_the_request_metrics_with_their_http_equivalent_code()
    {
        var ok = await Pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"200\"}");
        var bad = await Pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"400\"}");
        await Pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]));
        await Assert.ThrowsAsync<RpcException>(() => Pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 63], new float[63])).ResponseAsync);
        Assert.Equal(ok + 1, await Pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"200\"}"));
        Assert.Equal(bad + 1, await Pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"400\"}"));
    }

    [Fact]
    public async Task Rest_keeps_serving_http1_on_its_port_and_the_grpc_port_speaks_only_http2()
    {
        Assert.Equal(HttpStatusCode.OK, (await Pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.NotEqual(Pod.Client.BaseAddress!.Port, Pod.GrpcAddress.Port);
        using var http1 = new HttpClient { BaseAddress = Pod.GrpcAddress };
        var refused = await http1.GetAsync("/v2/health/ready");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("HTTP/2 only endpoint", await refused.Content.ReadAsStringAsync());
    }
}
