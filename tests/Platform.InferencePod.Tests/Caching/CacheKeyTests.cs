using Platform.InferencePod.Caching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Tests.Caching;

public sealed class CacheKeyTests
{
    private static readonly ModelMetadata Model = new("m", "1",
        [new TensorSpec("a", TensorDataType.Fp32, [-1, 2]), new TensorSpec("b", TensorDataType.Int64, [-1, 1])],
        [new TensorSpec("y", TensorDataType.Fp32, [-1, 3]), new TensorSpec("z", TensorDataType.Fp32, [-1, 1])]);

    private static InferenceRequest Request(byte[]? a = null, long[]? shapeA = null, TensorDataType typeB = TensorDataType.Int64, string nameB = "b",
        RequestedOutput[]? outputs = null, string? id = null, bool binary = false) => new()
    {
        Id = id,
        BinaryOutputs = binary,
        Inputs =
        [
            new RequestTensor("a", TensorDataType.Fp32, shapeA ?? [1, 2], a ?? [1, 2, 3, 4, 5, 6, 7, 8]),
            new RequestTensor(nameB, typeB, [1, 1], new byte[] { 9, 0, 0, 0, 0, 0, 0, 0 }),
        ],
        Outputs = outputs,
    };

    [Fact]
    public void The_same_request_gives_the_same_key_whatever_its_id_or_answer_encoding()
    {
        var key = CacheKey.For(Model, Request());
        Assert.Equal(key, CacheKey.For(Model, Request()));
        Assert.Equal(key, CacheKey.For(Model, Request(id: "other", binary: true)));
        Assert.Equal(64, key.ToHex().Length);
    }

    [Fact]
    public void Every_part_that_decides_the_answer_changes_the_key()
    {
        var key = CacheKey.For(Model, Request());
        var variants = new[]
        {
            CacheKey.For(new ModelMetadata("m2", "1", Model.Inputs, Model.Outputs), Request()),
            CacheKey.For(new ModelMetadata("m", "2", Model.Inputs, Model.Outputs), Request()),
            CacheKey.For(Model, Request(a: [1, 2, 3, 4, 5, 6, 7, 9])),
            CacheKey.For(Model, Request(shapeA: [2, 1])),
            CacheKey.For(Model, Request(typeB: TensorDataType.UInt64)),
            CacheKey.For(Model, Request(nameB: "c")),
            CacheKey.For(Model, Request(outputs: [new RequestedOutput(0, false)])),
            CacheKey.For(Model, Request(outputs: [new RequestedOutput(1, false)])),
            CacheKey.For(Model, Request(outputs: [new RequestedOutput(0, false), new RequestedOutput(1, false)])),
        };
        Assert.All(variants, v => Assert.NotEqual(key, v));
        Assert.Equal(variants.Length, variants.Distinct().Count());
        // Asking for an output in binary form is encoding, not content.
        Assert.Equal(variants[6], CacheKey.For(Model, Request(outputs: [new RequestedOutput(0, true)])));
    }

    [Fact]
    public void Length_prefixes_keep_neighbouring_fields_from_running_into_each_other()
    {
        Assert.NotEqual(
            CacheKey.For(new ModelMetadata("ab", "c", Model.Inputs, Model.Outputs), Request()),
            CacheKey.For(new ModelMetadata("a", "bc", Model.Inputs, Model.Outputs), Request()));
    }
}
