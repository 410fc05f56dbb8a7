namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Runs decoding and preprocessing once on a tiny PNG and a tiny JPEG at start-up, before the
/// pod turns ready, so that the first image request does not pay for compiling that code.
/// </summary>
public static class DecodeWarmup
{
    // 16x16 gradients, as written by StbImageWriteSharp (PNG; baseline JPEG, quality 75).
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAI0lEQVR4XmNkYGAQYOAgHrEwCHAwMJCARjUQE1yjoTQ4QgkAt7gKFg224o4AAAAASUVORK5CYII=";
    private const string Jpeg =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDIBCQkJDAsMGA0NGDIhHCEyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMv/AABEIABAAEAMBIgACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/APN9O0Dp8lddp2gdPkrpNO0Dp8lddp2gdPkopVQyHPttT//Z";

    public static void Run(ImagePipeline pipeline)
    {
        var row = new byte[pipeline.RowBytes];
        foreach (var encoded in new[] { Png, Jpeg })
        {
            var image = ImageDecoder.Decode(Convert.FromBase64String(encoded), long.MaxValue, "the warm-up image");
            ImagePreprocessor.Write(image.Rgb, image.Width, image.Height, pipeline, row);
        }
    }
}
