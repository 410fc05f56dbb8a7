namespace Platform.InferencePod.Preprocessing;

/// <summary>Where the channel axis of an image tensor sits.</summary>
public enum ImageLayout
{
    /// <summary>[batch, channels, height, width]: planes of one channel each (PyTorch's convention).</summary>
    Nchw,
    /// <summary>[batch, height, width, channels]: channels interleaved per pixel (TensorFlow's convention).</summary>
    Nhwc,
}
