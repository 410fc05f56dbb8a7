using CsCheck;
using Google.Protobuf;
using Grpc.Core;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Grpc;

/// <summary>
/// Thousands of generated ModelInfer messages with random field values (names, datatypes,
/// shapes, raw and typed contents, parameters, outputs), and random bytes in place of a
/// message: none may get Internal or Unknown, and the pod stays healthy.
/// </summary>
public sealed class GrpcFuzzTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    private static readonly Gen<string> Names = Gen.OneOf("input", "input", "input", "", "x", "output", "INPUT");
    private static readonly Gen<string> Datatypes = Gen.OneOf("FP32", "FP32", "FP32", "INT64", "FP16", "BOOL", "BYTES", "UINT8", "", "fp32", "FP32 ");
    private static readonly Gen<long> Dims = Gen.OneOf(Gen.OneOf(1L, 64L, 2L, 0L, -1L, 63L, 9L, 1L << 40), Gen.Long);

    private static readonly Gen<InferParameter> Parameter = Gen.OneOf(
        Gen.Bool.Select(b => new InferParameter { BoolParam = b }),
        Gen.Long[-3, 70_000_000].Select(v => new InferParameter { Int64Param = v }),
        Gen.Long.Select(v => new InferParameter { Int64Param = v }),
        Gen.String.Select(s => new InferParameter { StringParam = s }),
        Gen.Const(new InferParameter()));

    private static readonly Gen<(string Key, InferParameter Value)[]> Parameters =
        Gen.Select(Gen.OneOf("priority", "timeout", "binary_data_output", "binary_data", "classification", "other"), Parameter).Array[0, 3];

    /// <summary>One random change to a message: a field set to a random value, an entry added or removed.</summary>
    private static readonly Gen<Action<ModelInferRequest>> Mutation = Gen.OneOf(
        Gen.OneOf("mlp", "", "other", "MLP").Select(v => (Action<ModelInferRequest>)(r => r.ModelName = v)),
        Gen.OneOf("", "1", "2").Select(v => (Action<ModelInferRequest>)(r => r.ModelVersion = v)),
        Names.Select(v => (Action<ModelInferRequest>)(r => { if (r.Inputs.Count > 0) r.Inputs[0].Name = v; })),
        Datatypes.Select(v => (Action<ModelInferRequest>)(r => { if (r.Inputs.Count > 0) r.Inputs[0].Datatype = v; })),
        Gen.Select(Gen.Int[0, 3], Dims).Select((at, v) => (Action<ModelInferRequest>)(r =>
        {
            if (r.Inputs.Count == 0) return;
            var shape = r.Inputs[0].Shape;
            if (at < shape.Count) shape[at] = v;
            else shape.Add(v);
        })),
        Gen.Int[0, 600].Select(size => (Action<ModelInferRequest>)(r =>
        {
            if (r.RawInputContents.Count > 0) r.RawInputContents[0] = ByteString.CopyFrom(new byte[size]);
            else r.RawInputContents.Add(ByteString.CopyFrom(new byte[size]));
        })),
        Gen.Const((Action<ModelInferRequest>)(r => r.RawInputContents.Clear())),
        Gen.Const((Action<ModelInferRequest>)(r => r.Inputs.Clear())),
        Gen.Const((Action<ModelInferRequest>)(r => { if (r.Inputs.Count > 0) r.Inputs.Add(r.Inputs[0].Clone()); })),
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 130]).Select((kind, count) => (Action<ModelInferRequest>)(r =>
        {
            if (r.Inputs.Count == 0) return;
            r.Inputs[0].Contents = kind switch
            {
                0 => new InferTensorContents { Fp32Contents = { Enumerable.Repeat(0.5f, count) } },
                1 => new InferTensorContents { IntContents = { Enumerable.Range(-count, count) } },
                2 => new InferTensorContents { Fp32Contents = { Enumerable.Repeat(float.NaN, count) }, BytesContents = { ByteString.CopyFromUtf8("x") } },
                _ => null,
            };
        })),
        Parameters.Select(ps => (Action<ModelInferRequest>)(r => { foreach (var (key, value) in ps) r.Parameters[key] = value; })),
        Parameters.Select(ps => (Action<ModelInferRequest>)(r => { if (r.Inputs.Count > 0) foreach (var (key, value) in ps) r.Inputs[0].Parameters[key] = value; })),
        Gen.Select(Names, Parameters).Select((name, ps) => (Action<ModelInferRequest>)(r =>
        {
            var output = new ModelInferRequest.Types.InferRequestedOutputTensor { Name = name };
            foreach (var (key, value) in ps) output.Parameters[key] = value;
            r.Outputs.Add(output);
        })));

    /// <summary>A valid request, raw or typed, of 1 to 3 rows, with up to four random changes.</summary>
    private static readonly Gen<ModelInferRequest> Requests =
        Gen.Select(Gen.Int[1, 3], Gen.Bool, Mutation.Array[0, 4]).Select((rows, raw, mutations) =>
        {
            var data = new float[rows * 64];
            var request = raw ? GrpcRequests.Raw("mlp", "input", [rows, 64], data) : GrpcRequests.Typed("mlp", "input", [rows, 64], data);
            foreach (var mutate in mutations) mutate(request);
            return request;
        });

    /// <summary>A valid request's encoding with a few bytes flipped, cut or inserted.</summary>
    private static readonly Gen<byte[]> MutatedBytes = Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 6]).Select((seed, edits) =>
    {
        var random = new Random(seed);
        var bytes = new List<byte>(GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]).ToByteArray());
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.Insert(at, (byte)random.Next(256)); break;
            }
        }
        return bytes.ToArray();
    });

    [Fact]
    public async Task Thousands_of_random_messages_get_no_internal_error_and_the_pod_stays_healthy()
    {
        var pod = fixture.Pod;
        var codes = new Dictionary<StatusCode, int>();
        await Requests.SampleAsync(async request =>
        {
            var code = StatusCode.OK;
            try
            {
                await pod.Grpc.ModelInferAsync(request);
            }
            catch (RpcException e)
            {
                code = e.StatusCode;
                if (code is StatusCode.Internal or StatusCode.Unknown || string.IsNullOrEmpty(e.Status.Detail))
                    throw new Xunit.Sdk.XunitException($"{code} ({e.Status.Detail}) for {request}");
            }
            lock (codes) codes[code] = codes.GetValueOrDefault(code) + 1;
        }, iter: 2000, threads: 4);
        Assert.True(codes.ContainsKey(StatusCode.OK) && codes.ContainsKey(StatusCode.InvalidArgument), $"the generator should produce valid and invalid messages: {string.Join(", ", codes)}");

        var refusedUndecodable = 0;
        await MutatedBytes.SampleAsync(async bytes =>
        {
            try
            {
                await pod.GrpcChannel.CreateCallInvoker().AsyncUnaryCall(GrpcRequests.ModelInferBytes, null, new CallOptions(), bytes);
            }
            catch (RpcException e) when (e.StatusCode is not (StatusCode.Internal or StatusCode.Unknown))
            {
                if (e.Status.Detail.StartsWith("the request is not a valid inference.ModelInferRequest message", StringComparison.Ordinal))
                    Interlocked.Increment(ref refusedUndecodable);
            }
        }, iter: 500, threads: 4);
        Assert.True(refusedUndecodable > 0, "the mutations should produce undecodable messages");

        Assert.True((await pod.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.Single((await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]))).RawOutputContents);
    }
}
