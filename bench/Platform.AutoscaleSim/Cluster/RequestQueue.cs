namespace Platform.AutoscaleSim.Cluster;

/// <summary>
/// FIFO of (arrival time, count) entries in a growable ring buffer; taking part of the
/// head entry leaves the rest at the head.
/// </summary>
internal sealed class RequestQueue
{
    private double[] _arrivals = new double[64];
    private int[] _counts = new int[64];
    private int _head;

    /// <summary>Number of entries (not requests).</summary>
    public int Count { get; private set; }

    public void Enqueue(double arrival, int count)
    {
        if (Count == _arrivals.Length)
        {
            Grow();
        }

        var tail = (_head + Count) % _arrivals.Length;
        _arrivals[tail] = arrival;
        _counts[tail] = count;
        Count++;
    }

    /// <summary>Takes up to <paramref name="max"/> requests from the head entry.</summary>
    public (double Arrival, int Taken) Take(int max)
    {
        var arrival = _arrivals[_head];
        var available = _counts[_head];
        if (available > max)
        {
            _counts[_head] = available - max;
            return (arrival, max);
        }

        _head = (_head + 1) % _arrivals.Length;
        Count--;
        return (arrival, available);
    }

    private void Grow()
    {
        var arrivals = new double[_arrivals.Length * 2];
        var counts = new int[_counts.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            arrivals[i] = _arrivals[(_head + i) % _arrivals.Length];
            counts[i] = _counts[(_head + i) % _counts.Length];
        }

        _arrivals = arrivals;
        _counts = counts;
        _head = 0;
    }
}
