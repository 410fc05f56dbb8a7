using StbImageWriteSharp;

namespace Platform.FeatureBench.Inputs;

/// <summary>
/// Deterministic photo-like JPEGs: a sky-to-ground gradient, a few shaded objects, fractal
/// texture at three scales and sensor noise, so the encoder produces the busy blocks a camera
/// picture has (a flat gradient would compress to almost nothing and decode faster than a photo).
/// </summary>
internal static class PhotoJpeg
{
    public static byte[] Create(int width, int height, int seed, int quality = 85)
    {
        var rgb = Pixels(width, height, seed);
        using var stream = new MemoryStream();
        new ImageWriter().WriteJpg(rgb, width, height, ColorComponents.RedGreenBlue, stream, quality);
        return stream.ToArray();
    }

    public static byte[] Pixels(int width, int height, int seed)
    {
        var random = new Random(seed);
        var octaves = new[] { (Cell: 97, Amplitude: 40.0), (Cell: 23, Amplitude: 28.0), (Cell: 5, Amplitude: 22.0), (Cell: 2, Amplitude: 16.0) }
            .Select(o => (o.Cell, o.Amplitude, Grid: Grid(width / o.Cell + 2, height / o.Cell + 2, random)))
            .ToArray();
        var objects = Enumerable.Range(0, 5).Select(_ => (
            X: random.NextDouble() * width, Y: height * (0.35 + 0.6 * random.NextDouble()),
            Rx: width * (0.06 + 0.18 * random.NextDouble()), Ry: height * (0.06 + 0.2 * random.NextDouble()),
            Color: new[] { random.Next(30, 230), random.Next(30, 230), random.Next(30, 230) })).ToArray();
        var horizon = height * (0.3 + 0.2 * random.NextDouble());
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double r, g, b;
                if (y < horizon)
                {
                    var t = y / horizon;
                    (r, g, b) = (90 + 80 * t, 140 + 60 * t, 230 - 20 * t);
                }
                else
                {
                    var t = (y - horizon) / (height - horizon);
                    (r, g, b) = (110 - 40 * t, 120 - 30 * t, 60 - 20 * t);
                }
                foreach (var o in objects)
                {
                    var dx = (x - o.X) / o.Rx;
                    var dy = (y - o.Y) / o.Ry;
                    var d = dx * dx + dy * dy;
                    if (d >= 1) continue;
                    var shade = 0.55 + 0.45 * (1 - d) - 0.25 * dx;
                    (r, g, b) = (o.Color[0] * shade, o.Color[1] * shade, o.Color[2] * shade);
                }
                var texture = 0.0;
                foreach (var (cell, amplitude, grid) in octaves) texture += amplitude * (Sample(grid, (double)x / cell, (double)y / cell) - 0.5);
                if (y < horizon) texture *= 0.3;
                var i = (y * width + x) * 3;
                pixels[i] = Clamp(r + texture + random.Next(-9, 10));
                pixels[i + 1] = Clamp(g + texture * 0.9 + random.Next(-9, 10));
                pixels[i + 2] = Clamp(b + texture * 0.7 + random.Next(-9, 10));
            }
        }
        return pixels;
    }

    private static double[,] Grid(int columns, int rows, Random random)
    {
        var grid = new double[columns + 1, rows + 1];
        for (var i = 0; i <= columns; i++)
            for (var j = 0; j <= rows; j++) grid[i, j] = random.NextDouble();
        return grid;
    }

    /// <summary>Smoothly interpolated value noise at (u, v) in grid cells.</summary>
    private static double Sample(double[,] grid, double u, double v)
    {
        var i = (int)u;
        var j = (int)v;
        var fu = Smooth(u - i);
        var fv = Smooth(v - j);
        var top = grid[i, j] + fu * (grid[i + 1, j] - grid[i, j]);
        var bottom = grid[i, j + 1] + fu * (grid[i + 1, j + 1] - grid[i, j + 1]);
        return top + fv * (bottom - top);
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static byte Clamp(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
