using System.Buffers;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Tests.Jobs;

public sealed class RequestChunksTests
{
    /// <summary>Two inputs of different widths; row r of input "a" holds bytes r*2, r*2+1 and of "b" r*3..r*3+2 (mod 256).</summary>
    private static InferenceRequest Request(int rows) => new()
    {
        Id = "r", Priority = 2, TimeoutMicroseconds = 5, Rows = rows,
        Inputs =
        [
            new RequestTensor("a", TensorDataType.UInt8, [rows, 2], Enumerable.Range(0, rows * 2).Select(i => (byte)i).ToArray()),
            new RequestTensor("b", TensorDataType.UInt8, [rows, 3], Enumerable.Range(0, rows * 3).Select(i => (byte)i).ToArray()),
        ],
    };

    [Fact]
    public void A_request_within_the_limit_is_its_own_single_chunk()
    {
        var request = Request(8);
        Assert.Same(request, Assert.Single(RequestChunks.Split(request, 8)));
    }

    [Theory]
    [InlineData(20, 8, new[] { 8, 8, 4 })]
    [InlineData(16, 8, new[] { 8, 8 })]
    [InlineData(3, 1, new[] { 1, 1, 1 })]
    public void Chunks_cover_every_row_in_order_with_the_request_parameters(int rows, int max, int[] expected)
    {
        var request = Request(rows);
        var chunks = RequestChunks.Split(request, max);
        Assert.Equal(expected, chunks.Select(c => c.Rows));
        Assert.All(chunks, c => Assert.Equal((request.Id, request.Priority, request.TimeoutMicroseconds), (c.Id, c.Priority, c.TimeoutMicroseconds)));
        foreach (var (input, index) in request.Inputs.Select((input, i) => (input, i)))
        {
            Assert.Equal(input.Data.ToArray(), chunks.SelectMany(c => c.Inputs[index].Data.ToArray()));
            Assert.All(chunks, c => Assert.Equal([c.Rows, input.Shape[1]], c.Inputs[index].Shape));
        }
    }

    [Fact]
    public void Outputs_are_joined_along_the_batch_axis_in_chunk_order()
    {
        static OutputTensor Part(long rows, byte first)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)rows * 4);
            for (var i = 0; i < rows * 4; i++) buffer[i] = (byte)(first + i);
            return new OutputTensor(TensorDataType.Fp32, [rows, 1], buffer, (int)rows * 4);
        }
        OutputTensor[][] parts = [[Part(2, 0)], [Part(1, 8)]];
        var joined = Assert.Single(OutputConcatenation.Concat(parts));
        Assert.Equal([3L, 1L], joined.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)i), joined.Data.ToArray());
        joined.Release();
        foreach (var part in parts) part[0].Release();
    }
}
