using Platform.InferencePod.Protocol;
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
        var buffer = request.RentBuffer(rowBytes * images.Count);
        var rows = new List<Task<bool>>(images.Count);
        try
        {
            for (var i = 0; i < images.Count; i++)
            {
                var image = images[i];
                var offset = i * rowBytes;
                var what = images.Count == 1 ? "the image" : $"image {i + 1} of {images.Count}";
                rows.Add(pool.RunAsync(() =>
                {
                    var decoded = ImageDecoder.Decode(image, pipeline.MaxPixels, what);
                    ImagePreprocessor.Write(decoded.Rgb, decoded.Width, decoded.Height, pipeline, buffer.AsSpan(offset, rowBytes));
                    return true;
                }, cancellationToken));
            }
        }
        finally
        {
            // Every decode started writes into the request's buffer: none may outlive this call.
            await Task.WhenAll((IEnumerable<Task>)rows).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        foreach (var row in rows) await row; // rethrows the first failure
        request.Inputs = [new RequestTensor(pipeline.InputName, pipeline.DataType, pipeline.Shape(images.Count), buffer.AsMemory(0, rowBytes * images.Count))];
        request.Rows = images.Count;
        preprocessDuration.Observe(time.GetElapsedTime(started).TotalSeconds);
    }
}
