namespace Platform.LoadGen.Cli;

/// <summary>The help text.</summary>
internal static class Usage
{
    public const string Text = """
        loadgen: load generator for the inference pod (Open Inference Protocol V2 REST)

        loadgen http --model NAME [options]
          --url URL              server base address (default http://127.0.0.1:8080)
          --mode closed|open     closed: N clients, each sends when its last answer came (default)
                                 open: arrivals at --rate per second, independent of answers
          --concurrency N        closed loop: concurrent clients (default 1)
          --rate R               open loop: requests per second (required with --mode open)
          --arrivals poisson|constant   open loop spacing (default poisson)
          --duration 20s         measured window (default 20s)
          --warmup 5s            load before the window, not measured (default 5s)
          --payload json|binary  JSON "data" arrays or the binary tensor extension (default binary)
          --batch B              rows per request (default 1)
          --timeout-ms X         request deadline sent as parameters.timeout (microseconds on the wire)
          --priority P           parameters.priority (1 = highest)
          --slo-ms X             goodput counts answers within X ms (default --timeout-ms, else every success)
          --connections C        connection pool size (default: concurrency, or 512 in open mode)
          --expect-continue      send "Expect: 100-continue": bodies go out only when the server asks
          --client-timeout 30s   the client gives up on an answer after this long
          --ready-timeout 30s    wait this long for /v2/health/ready before giving up
          --seed S               random input seed (default 42)
          --json FILE            also write the results as JSON

        loadgen raw --model PATH.onnx [options]
          --threads T            intra-op threads (default: processor count)
          --batch 1,2,4,8        batch sizes to measure, one after the other (default 1)
          --duration 10s         measured time per batch size (default 10s)
          --warmup 2s            unmeasured runs before each batch size (default 2s)
          --provider cpu|cuda    execution provider (default cpu; cuda needs the GPU build,
                                 -p:OnnxRuntimeFlavor=Gpu, and CUDA 13 libraries)
          --device N             CUDA device id (default 0)
          --seed S, --json FILE  as above

        loadgen compare --onnx PATH.onnx --model NAME [options]
          Runs raw at --raw-batch sizes, then http closed loop at concurrency 1 and at each of
          --concurrency (default 1,16), and prints server throughput / raw ceiling and the median
          latency the server adds over one bare Run at batch 1.
          --raw-batch 1,8,32     raw sizes; the best rows/s is the ceiling (default 1,8,32)
          --threads T            intra-op threads of the raw session (match the pod's)
          all http options except --mode, --rate and --arrivals

        loadgen help             this text
        """;
}
