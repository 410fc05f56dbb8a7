namespace Platform.AutoscaleSim.Cluster;

public enum LoadBalancing
{
    /// <summary>Each request to the ready pod with the fewest requests in flight (Envoy least_request, an ingress).</summary>
    LeastQueue,

    /// <summary>Requests in turn to each ready pod (kube-proxy style spreading).</summary>
    RoundRobin,
}

/// <summary>Splits one tick's arrivals among the ready pods.</summary>
internal sealed class LoadBalancer(LoadBalancing mode)
{
    private int _next;
    private int[] _order = [];
    private int[] _assigned = [];

    /// <summary>Admits <paramref name="arrivals"/> at <paramref name="now"/>; returns the number refused.</summary>
    public int Distribute(double now, int arrivals, IReadOnlyList<SimPod> ready)
    {
        var n = ready.Count;
        if (arrivals == 0)
        {
            return 0;
        }

        if (n == 0)
        {
            return arrivals;
        }

        if (_assigned.Length < n)
        {
            _assigned = new int[n * 2];
            _order = new int[n * 2];
        }

        Array.Clear(_assigned, 0, n);
        if (mode == LoadBalancing.RoundRobin)
        {
            for (var i = 0; i < n; i++)
            {
                _assigned[i] = arrivals / n;
            }

            for (var r = 0; r < arrivals % n; r++)
            {
                _assigned[(_next + r) % n]++;
            }

            _next = (_next + (arrivals % n)) % n;
        }
        else
        {
            WaterFill(arrivals, ready, n);
        }

        var refused = 0;
        for (var i = 0; i < n; i++)
        {
            if (_assigned[i] > 0)
            {
                refused += ready[i].Admit(now, _assigned[i]);
            }
        }

        return refused;
    }

    /// <summary>
    /// Joining the shortest queue one request at a time equals filling the least-loaded pods
    /// up to a common level: sort by load, find the level, spread the remainder from a
    /// rotating start so ties do not always favour the same pod.
    /// </summary>
    private void WaterFill(int arrivals, IReadOnlyList<SimPod> ready, int n)
    {
        for (var i = 0; i < n; i++)
        {
            _order[(i + _next) % n] = i;
        }

        _next = (_next + 1) % n;
        var order = _order.AsSpan(0, n);
        // Insertion sort: pods are few and nearly sorted tick to tick.
        for (var i = 1; i < n; i++)
        {
            var key = order[i];
            var load = ready[key].InFlight;
            var j = i - 1;
            while (j >= 0 && ready[order[j]].InFlight > load)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = key;
        }

        // Raise the k least-loaded pods to the level of the (k+1)-th while arrivals last.
        var remaining = arrivals;
        var k = 1;
        var level = ready[order[0]].InFlight;
        while (k < n)
        {
            var nextLevel = ready[order[k]].InFlight;
            var cost = (long)(nextLevel - level) * k;
            if (cost > remaining)
            {
                break;
            }

            remaining -= (int)cost;
            level = nextLevel;
            k++;
        }

        var each = remaining / k;
        var extra = remaining % k;
        for (var i = 0; i < k; i++)
        {
            var pod = order[i];
            _assigned[pod] = level - ready[pod].InFlight + each + (i < extra ? 1 : 0);
        }
    }
}
