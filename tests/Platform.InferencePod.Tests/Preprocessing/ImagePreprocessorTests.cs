using System.Runtime.InteropServices;
using CsCheck;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Preprocessing;

namespace Platform.InferencePod.Tests.Preprocessing;

public sealed class ImagePreprocessorTests
{
    private static ImagePipeline Pipeline(int height, int width, int shorterSide, ImageLayout layout = ImageLayout.Nchw, bool bgr = false,
        float scale = 1f / 255, float[]? mean = null, float[]? std = null, TensorDataType type = TensorDataType.Fp32) =>
        new("input", height, width, shorterSide, layout, bgr, scale, mean ?? [0, 0, 0], std ?? [1, 1, 1], type, long.MaxValue);

    private static float[] Run(byte[] rgb, int width, int height, ImagePipeline pipeline)
    {
        var row = new byte[pipeline.RowBytes];
        ImagePreprocessor.Write(rgb, width, height, pipeline, row);
        return MemoryMarshal.Cast<byte, float>(row).ToArray();
    }

    [Theory]
    [InlineData(640, 480, 256, 341, 256)]
    [InlineData(480, 640, 256, 256, 341)]
    [InlineData(300, 300, 256, 256, 256)]
    [InlineData(3, 2, 224, 336, 224)]
    [InlineData(1000, 1, 8, 8000, 8)]
    public void The_shorter_side_becomes_the_target_and_the_aspect_ratio_is_kept(int width, int height, int shorter, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), ImagePreprocessor.ResizedSize(width, height, shorter));
    }

    [Fact]
    public void Matches_the_reference_for_any_image_size_crop_layout_channel_order_and_normalisation()
    {
        var cases = Gen.Select(Gen.Int[1, 48], Gen.Int[1, 48], Gen.Int[1, 24], Gen.Int[1, 24], Gen.Int[0, 16], Gen.Bool, Gen.Bool, Gen.Int[0, 1000]);
        cases.Sample((width, height, cropHeight, cropWidth, extra, nhwc, bgr, seed) =>
        {
            var shorter = Math.Max(cropHeight, cropWidth) + extra;
            var rgb = TestImages.Pixels(width, height, seed);
            float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
            var pipeline = Pipeline(cropHeight, cropWidth, shorter, nhwc ? ImageLayout.Nhwc : ImageLayout.Nchw, bgr, mean: mean, std: std);
            var actual = Run(rgb, width, height, pipeline);
            var expected = ReferencePreprocessing.Tensor(rgb, width, height, shorter, cropHeight, cropWidth, nhwc, bgr,
                mean: mean.Select(m => (double)m).ToArray(), std: std.Select(s => (double)s).ToArray());
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                if (Math.Abs(expected[i] - actual[i]) > 1e-4)
                    throw new Xunit.Sdk.XunitException($"element {i}: expected {expected[i]}, got {actual[i]} ({width}x{height} → {shorter}, crop {cropHeight}x{cropWidth}, nhwc {nhwc}, bgr {bgr})");
            }
        }, iter: 300);
    }

    [Fact]
    public void An_image_already_at_the_crop_size_passes_through_pixel_for_pixel()
    {
        var rgb = TestImages.Pixels(5, 4, seed: 3);
        var tensor = Run(rgb, 5, 4, Pipeline(4, 5, 4, scale: 1));
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                for (var c = 0; c < 3; c++) Assert.Equal(rgb[(y * 5 + x) * 3 + c], tensor[(c * 4 + y) * 5 + x]);
            }
        }
    }

    [Fact]
    public void Nhwc_interleaves_channels_and_bgr_reverses_them()
    {
        byte[] rgb = [10, 20, 30];
        Assert.Equal([10, 20, 30], Run(rgb, 1, 1, Pipeline(1, 1, 1, ImageLayout.Nhwc, scale: 1)));
        Assert.Equal([30, 20, 10], Run(rgb, 1, 1, Pipeline(1, 1, 1, ImageLayout.Nhwc, bgr: true, scale: 1)));
        Assert.Equal([(30 / 255f - 0.5f) / 2, (20 / 255f - 0.25f) / 4, (10 / 255f - 0.125f) / 8],
            Run(rgb, 1, 1, Pipeline(1, 1, 1, ImageLayout.Nchw, bgr: true, mean: [0.5f, 0.25f, 0.125f], std: [2, 4, 8])));
    }

    [Fact]
    public void Uint8_tensors_carry_rounded_pixels_and_fp16_tensors_the_normalised_values()
    {
        // 2x1 image resized to 4x2: the middle columns blend both pixels.
        byte[] rgb = [0, 100, 255, 100, 0, 255];
        var bytes = new byte[3 * 2 * 2];
        ImagePreprocessor.Write(rgb, 2, 1, Pipeline(2, 2, 2, type: TensorDataType.UInt8), bytes);
        var expected = ReferencePreprocessing.Tensor(rgb, 2, 1, 2, 2, 2, scale: 1);
        Assert.Equal(expected.Select(v => (byte)Math.Floor(v + 0.5)).ToArray(), bytes);

        var half = new byte[3 * 2 * 2 * 2];
        ImagePreprocessor.Write(rgb, 2, 1, Pipeline(2, 2, 2, type: TensorDataType.Fp16), half);
        var values = MemoryMarshal.Cast<byte, Half>(half).ToArray();
        var reference = ReferencePreprocessing.Tensor(rgb, 2, 1, 2, 2, 2);
        for (var i = 0; i < values.Length; i++) Assert.Equal(reference[i], (double)values[i], 2e-3);
    }
}
