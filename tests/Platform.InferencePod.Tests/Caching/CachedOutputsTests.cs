using System.Buffers;
using CsCheck;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Tests.Caching;

public sealed class CachedOutputsTests
{
    private static readonly ModelMetadata Model = new("m", "1",
        [new TensorSpec("x", TensorDataType.Fp32, [-1, 1])],
        [new TensorSpec("y", TensorDataType.Fp32, [-1, 2]), new TensorSpec("z", TensorDataType.Int64, [-1, 1])]);

    private static OutputTensor Output(TensorDataType type, long[] shape, byte[] data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(buffer, 0);
        return new OutputTensor(type, shape, buffer, data.Length);
    }

    private static OutputTensor[] Outputs() =>
    [
        Output(TensorDataType.Fp32, [1, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
        Output(TensorDataType.Int64, [1, 1], [9, 9, 9, 9, 9, 9, 9, 9]),
    ];

    [Fact]
    public void The_selected_outputs_come_back_as_they_were()
    {
        var request = new InferenceRequest { Outputs = [new RequestedOutput(1, false)] };
        var bytes = CachedOutputs.Encode(request, Outputs());
        Assert.True(CachedOutputs.TryDecode(bytes, Model, request, out var decoded));
        Assert.Equal(2, decoded.Length);
        Assert.Equal(TensorDataType.Int64, decoded[1].DataType);
        Assert.Equal([1L, 1], decoded[1].Shape);
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9, 9, 9, 9 }, decoded[1].Data.ToArray());
        Assert.Equal(0, decoded[0].Length);
        foreach (var output in decoded) output.Release();

        var all = new InferenceRequest();
        Assert.True(CachedOutputs.TryDecode(CachedOutputs.Encode(all, Outputs()), Model, all, out var both));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, both[0].Data.ToArray());
    }

    [Fact]
    public void Bytes_that_do_not_answer_this_request_for_this_model_are_refused()
    {
        var request = new InferenceRequest();
        var bytes = CachedOutputs.Encode(request, Outputs());
        var other = new InferenceRequest { Outputs = [new RequestedOutput(0, false)] };
        Assert.False(CachedOutputs.TryDecode(bytes, Model, other, out _));
        Assert.False(CachedOutputs.TryDecode(bytes[..^1], Model, request, out _));
        Assert.False(CachedOutputs.TryDecode([.. bytes, 0], Model, request, out _));
        Assert.False(CachedOutputs.TryDecode("hello world"u8, Model, request, out _));
        var retyped = new ModelMetadata("m", "1", Model.Inputs, [new TensorSpec("y", TensorDataType.Fp64, [-1, 1]), Model.Outputs[1]]);
        Assert.False(CachedOutputs.TryDecode(bytes, retyped, request, out _));
    }

    [Fact]
    public void Damaged_bytes_never_throw_and_never_decode_into_a_tensor_that_disagrees_with_its_shape()
    {
        var request = new InferenceRequest();
        var bytes = CachedOutputs.Encode(request, Outputs());
        Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte, Gen.Int[0, bytes.Length]).Sample((at, value, cut) =>
        {
            var damaged = bytes.ToArray();
            damaged[at] = value;
            foreach (var candidate in new[] { damaged, damaged[..cut] })
            {
                if (!CachedOutputs.TryDecode(candidate, Model, request, out var outputs)) continue;
                foreach (var output in outputs)
                {
                    Assert.Equal(output.Shape.Aggregate(1L, (a, d) => a * d) * output.DataType.ElementSize(), output.Length);
                    output.Release();
                }
            }
        });
    }
}
