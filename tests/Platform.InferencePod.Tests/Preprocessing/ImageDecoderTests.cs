using System.Buffers.Binary;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Preprocessing;

namespace Platform.InferencePod.Tests.Preprocessing;

public sealed class ImageDecoderTests
{
    [Fact]
    public void A_png_decodes_to_exactly_its_pixels()
    {
        var pixels = TestImages.Pixels(7, 5, seed: 1);
        var image = ImageDecoder.Decode(TestImages.Png(pixels, 7, 5), 1000, "the image");
        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(pixels, image.Rgb[..pixels.Length]);
    }

    [Fact]
    public void A_jpeg_decodes_to_its_size()
    {
        var image = ImageDecoder.Decode(TestImages.Jpeg(33, 17, seed: 2), 1000, "the image");
        Assert.Equal((33, 17), (image.Width, image.Height));
    }

    [Fact]
    public void The_start_up_warm_up_images_decode_and_preprocess()
    {
        DecodeWarmup.Run(new ImagePipeline("input", 224, 224, 256, ImageLayout.Nchw, false, 1f / 255, [0, 0, 0], [1, 1, 1], TensorDataType.Fp32, 100));
    }

    [Fact]
    public void An_image_over_the_pixel_limit_is_refused_413_from_its_header()
    {
        var error = Assert.Throws<InferenceError>(() => ImageDecoder.Decode(TestImages.Png(20, 10, seed: 3), 199, "the image"));
        Assert.Equal(413, error.StatusCode);
        Assert.Contains("20x10 = 200 pixels, above the limit of 199", error.Message);
    }

    [Fact]
    public void A_small_file_claiming_a_huge_image_is_refused_before_any_pixel_is_decoded()
    {
        // A valid 2x2 PNG whose header claims 6000 x 6000: decoding it would need 108 MB.
        var png = TestImages.Png(2, 2, seed: 4);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 6000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 6000);
        var error = Assert.Throws<InferenceError>(() => ImageDecoder.Decode(png, 1_000_000, "the image"));
        Assert.Equal(413, error.StatusCode);
        Assert.Contains("6000x6000", error.Message);
    }

    public static TheoryData<string, byte[], string> Corrupt => new()
    {
        { "text", "hello, not an image"u8.ToArray(), "not a PNG or JPEG image" },
        { "empty", [], "not a PNG or JPEG image" },
        { "gif", "GIF89a\x01\0\x01\0\0\0\0;"u8.ToArray(), "not a PNG or JPEG image" },
        { "png signature only", TestImages.Png(8, 8, 5)[..8], "corrupt PNG" },
        { "truncated png", TestImages.Png(64, 64, 6)[..60], "corrupt PNG" },
        { "jpeg signature only", [0xFF, 0xD8, 0xFF], "corrupt JPEG" },
        { "truncated jpeg", TestImages.Jpeg(64, 64, 7)[..100], "corrupt JPEG" },
    };

    [Theory]
    [MemberData(nameof(Corrupt))]
    public void A_corrupt_or_foreign_file_is_a_400_that_says_what_it_is(string name, byte[] data, string expected)
    {
        var error = Assert.Throws<InferenceError>(() => ImageDecoder.Decode(data, 1_000_000, "the image"));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expected, error.Message);
        Assert.NotNull(name);
    }

    public static TheoryData<string> TruncatedJpegHeaders => new()
    {
        // Each of these made the decoder spin forever before the marker walk refused them.
        "FFD8FFE00010",
        "FFD8FFE000104A46494600010100000100010071",
        "FFD8FFE000104A464946000101000000",
    };

    [Theory]
    [MemberData(nameof(TruncatedJpegHeaders))]
    public async Task A_jpeg_truncated_inside_a_header_segment_is_refused_at_once(string hex)
    {
        var data = Convert.FromHexString(hex);
        var decode = Task.Run(() => ImageDecoder.Decode(data, 1_000_000, "the image"));
        var error = await Assert.ThrowsAsync<InferenceError>(() => decode.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("corrupt JPEG header: it ends", error.Message);
    }

    [Fact]
    public void The_jpeg_marker_walk_accepts_whole_headers_and_names_what_is_wrong()
    {
        Assert.Null(JpegStructure.FindProblem(TestImages.Jpeg(20, 10, seed: 11)));
        Assert.Equal("it does not start with a JPEG start-of-image marker", JpegStructure.FindProblem([0xFF, 0xD9, 0xFF, 0xD8]));
        Assert.Equal("it has no image data before its end", JpegStructure.FindProblem([0xFF, 0xD8, 0xFF, 0xD9]));
        Assert.Equal("its image data comes before its frame header", JpegStructure.FindProblem([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]));
        Assert.Equal("byte 2 should start a marker", JpegStructure.FindProblem([0xFF, 0xD8, 0x00, 0x00]));
    }

    [Fact]
    public void Randomly_damaged_images_either_decode_or_are_refused_400_never_anything_else()
    {
        var png = TestImages.Png(24, 24, seed: 8);
        var jpeg = TestImages.Jpeg(24, 24, seed: 9);
        var random = new Random(10);
        for (var i = 0; i < 2000; i++)
        {
            var data = (i % 2 == 0 ? png : jpeg).ToArray();
            for (var flips = random.Next(1, 6); flips > 0; flips--) data[random.Next(data.Length)] = (byte)random.Next(256);
            if (random.Next(3) == 0) data = data[..random.Next(data.Length)];
            try
            {
                var image = ImageDecoder.Decode(data, 1_000_000, "the image");
                Assert.True(image.Rgb.Length >= image.Width * image.Height * 3);
            }
            catch (InferenceError error)
            {
                Assert.True(error.StatusCode is 400 or 413, $"{error.StatusCode}: {error.Message}");
            }
        }
    }
}
