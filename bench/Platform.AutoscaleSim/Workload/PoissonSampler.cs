namespace Platform.AutoscaleSim.Workload;

/// <summary>Poisson-distributed counts: exact for small means, normal approximation above.</summary>
public static class PoissonSampler
{
    private const double NormalAbove = 40;

    public static int Sample(double mean, Random random)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > NormalAbove)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * z)));
        }

        // Knuth: multiply uniforms until the product drops below e^-mean.
        var limit = Math.Exp(-mean);
        var count = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }
}
