using CsCheck;
using Platform.InferencePod.Preprocessing;

namespace Platform.InferencePod.Tests.Preprocessing;

public sealed class TopKTests
{
    [Fact]
    public void Softmax_gives_probabilities_in_the_order_of_the_logits_even_for_huge_logits()
    {
        Gen.Double[-1000, 1000].Array[1, 50].Sample(logits =>
        {
            var p = TopK.Softmax(logits);
            Assert.Equal(1.0, p.Sum(), 9);
            Assert.All(p, v => Assert.InRange(v, 0, 1));
            for (var i = 0; i < logits.Length; i++)
            {
                for (var j = 0; j < logits.Length; j++)
                {
                    if (logits[i] > logits[j]) Assert.True(p[i] >= p[j]);
                }
            }
        });
        Assert.Equal([0.5, 0.5], TopK.Softmax([1e308, 1e308]));
    }

    [Fact]
    public void Select_returns_the_highest_scores_first_ties_by_lower_index_nan_last()
    {
        Assert.Equal([3, 1, 2], TopK.Select([0.1, 0.5, 0.5, 0.9, double.NaN], 3));
        Assert.Equal([1, 0, 2], TopK.Select([double.NaN, 2, double.NaN], 3));
        Assert.Equal([0], TopK.Select([1.0], 5));
    }

    [Fact]
    public void Select_agrees_with_a_full_sort()
    {
        Gen.Select(Gen.Int[-5, 5].Select(i => (double)i).Array[1, 40], Gen.Int[1, 45]).Sample((scores, k) =>
        {
            var expected = scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(k).Select(p => p.i).ToArray();
            Assert.Equal(expected, TopK.Select(scores, k));
        });
    }
}
