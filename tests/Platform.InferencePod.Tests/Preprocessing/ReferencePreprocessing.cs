namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>
/// The documented preprocessing written the plain way, as the reference the pod's answers are
/// checked against: materialise the resized image, cut the center crop out of it, normalise,
/// lay out. Doubles throughout.
/// </summary>
public static class ReferencePreprocessing
{
    public static double[] Tensor(byte[] rgb, int width, int height, int shorterSide, int cropHeight, int cropWidth,
        bool nhwc = false, bool bgr = false, double scale = 1.0 / 255, double[]? mean = null, double[]? std = null)
    {
        mean ??= [0, 0, 0];
        std ??= [1, 1, 1];
        int resizedWidth, resizedHeight;
        if (width <= height)
        {
            resizedWidth = shorterSide;
            resizedHeight = Math.Max(shorterSide, (int)Math.Round((double)height * shorterSide / width, MidpointRounding.AwayFromZero));
        }
        else
        {
            resizedHeight = shorterSide;
            resizedWidth = Math.Max(shorterSide, (int)Math.Round((double)width * shorterSide / height, MidpointRounding.AwayFromZero));
        }

        var resized = new double[resizedHeight, resizedWidth, 3];
        for (var ry = 0; ry < resizedHeight; ry++)
        {
            for (var rx = 0; rx < resizedWidth; rx++)
            {
                var sy = Math.Min(Math.Max((ry + 0.5) * height / resizedHeight - 0.5, 0), height - 1);
                var sx = Math.Min(Math.Max((rx + 0.5) * width / resizedWidth - 0.5, 0), width - 1);
                int y0 = (int)sy, x0 = (int)sx;
                int y1 = Math.Min(y0 + 1, height - 1), x1 = Math.Min(x0 + 1, width - 1);
                double wy = sy - y0, wx = sx - x0;
                for (var c = 0; c < 3; c++)
                {
                    double P(int y, int x) => rgb[(y * width + x) * 3 + c];
                    resized[ry, rx, c] = (1 - wy) * ((1 - wx) * P(y0, x0) + wx * P(y0, x1)) + wy * ((1 - wx) * P(y1, x0) + wx * P(y1, x1));
                }
            }
        }

        var top = (resizedHeight - cropHeight) / 2;
        var left = (resizedWidth - cropWidth) / 2;
        var tensor = new double[3 * cropHeight * cropWidth];
        for (var c = 0; c < 3; c++)
        {
            var sourceChannel = bgr ? 2 - c : c;
            for (var y = 0; y < cropHeight; y++)
            {
                for (var x = 0; x < cropWidth; x++)
                {
                    var value = (resized[top + y, left + x, sourceChannel] * scale - mean[c]) / std[c];
                    var index = nhwc ? (y * cropWidth + x) * 3 + c : (c * cropHeight + y) * cropWidth + x;
                    tensor[index] = value;
                }
            }
        }
        return tensor;
    }
}
