using System.Buffers;
using Platform.InferencePod.Inference;
using Prometheus;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Images in, the model's input tensor out: each image is decoded and preprocessed on the
/// decode pool into its row of one pooled tensor that the request owns.
/// </summary>
public sealed class ImageClassifier(ImagePipeline pipeline, ClassificationHead head, DecodePool pool, Histogram.Child preprocessDuration, TimeProvider time)
{
    public ImagePipeline Pipeline => pipeline;
    public ClassificationHead Head => head;

    /// <summary>Fills the request's one input with the images, one row each. Throws 400/413 for a bad image, 429 when the decode pool is full.</summary>
    public async Task FillAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, InferenceRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var rowBytes = pipeline.RowBytes;
        var rows = new List<Task<byte[]>>(images.Count);
        try
        {
            for (var i = 0; i < images.Count; i++)
            {
                var image = images[i];
                var what = images.Count == 1 ? "the image" : $"image {i + 1} of {images.Count}";
                // Each row is written into a buffer of its own: a decode that is abandoned as stuck may
                // still finish later, and must then not write into memory this request gave back.
                rows.Add(pool.RunAsync(() =>
                {
                    var decoded = ImageDecoder.Decode(image, pipeline.MaxPixels, what);
                    var row = ArrayPool<byte>.Shared.Rent(rowBytes);
                    ImagePreprocessor.Write(decoded.Rgb, decoded.Width, decoded.Height, pipeline, row);
                    return row;
                }, cancellationToken));
            }
        }
        finally
        {
            // Let every started decode end before failing, so none is left running for nothing.
            await Task.WhenAll((IEnumerable<Task>)rows).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var buffer = request.RentBuffer(rowBytes * images.Count);
        try
        {
            for (var i = 0; i < rows.Count; i++) (await rows[i]).AsSpan(0, rowBytes).CopyTo(buffer.AsSpan(i * rowBytes)); // rethrows the first failure
        }
        finally
        {
            foreach (var row in rows)
            {
                if (row.IsCompletedSuccessfully) ArrayPool<byte>.Shared.Return(row.Result);
            }
        }
        request.Inputs = [new RequestTensor(pipeline.InputName, pipeline.DataType, pipeline.Shape(images.Count), buffer.AsMemory(0, rowBytes * images.Count))];
        request.Rows = images.Count;
        preprocessDuration.Observe(time.GetElapsedTime(started).TotalSeconds);
    }
}
