using System.Text;
using Platform.Operator.Autoscaling.Prometheus;

namespace Platform.Autoscaling.Tests.Prometheus;

public class ExpositionParserTests
{
    [Fact]
    public void Parses_help_type_and_samples_into_families()
    {
        var families = ExpositionParser.Parse("""
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # A plain comment
            metric_without_timestamp_and_labels 12.47
            """);

        Assert.Equal(2, families.Count);
        var requests = families[0];
        Assert.Equal("http_requests_total", requests.Name);
        Assert.Equal(MetricType.Counter, requests.Type);
        Assert.Equal("The total number of HTTP requests.", requests.Help);
        Assert.Equal(2, requests.Samples.Count);
        Assert.Equal("400", requests.Samples[1].Labels["code"]);
        Assert.Equal(3, requests.Samples[1].Value);
        Assert.Equal(1395066363000, requests.Samples[1].TimestampMs);

        var untyped = families[1];
        Assert.Equal(MetricType.Untyped, untyped.Type);
        Assert.Null(untyped.Help);
        Assert.Equal(12.47, untyped.Samples.Single().Value);
        Assert.Null(untyped.Samples.Single().TimestampMs);
        Assert.Equal(0, untyped.Samples.Single().Labels.Count);
    }

    [Theory]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("1.5e-3", 0.0015)]
    [InlineData("-2E+2", -200)]
    [InlineData("0", 0)]
    [InlineData(".5", 0.5)]
    [InlineData("1e308", 1e308)]
    public void Parses_values_including_infinities_and_exponents(string text, double expected)
    {
        var sample = ExpositionParser.Parse($"m {text}\n").Single().Samples.Single();
        Assert.Equal(expected, sample.Value);
    }

    [Fact]
    public void Parses_nan()
    {
        Assert.True(double.IsNaN(ExpositionParser.Parse("m NaN").Single().Samples.Single().Value));
        Assert.True(double.IsNaN(ExpositionParser.Parse("m nan").Single().Samples.Single().Value));
    }

    [Fact]
    public void Unescapes_label_values()
    {
        var sample = ExpositionParser.Parse("""
            msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9
            """).Single().Samples.Single();

        Assert.Equal(@"C:\DIR\FILE.TXT", sample.Labels["path"]);
        Assert.Equal("Cannot find file:\n\"FILE.TXT\"", sample.Labels["error"]);
        Assert.Equal(1.458255915e9, sample.Value);
    }

    [Fact]
    public void Label_values_may_hold_braces_commas_equals_and_hash()
    {
        var sample = ExpositionParser.Parse("m{a=\"x,}={# y\",b=\"\"} 1").Single().Samples.Single();
        Assert.Equal("x,}={# y", sample.Labels["a"]);
        Assert.Equal(string.Empty, sample.Labels["b"]);
    }

    [Fact]
    public void Unescapes_help_and_keeps_other_backslashes()
    {
        var family = ExpositionParser.Parse("# HELP m first\\nsecond \\\\ and \\d\nm 1").Single();
        Assert.Equal("first\nsecond \\ and \\d", family.Help);
    }

    [Fact]
    public void Help_may_be_empty()
    {
        Assert.Equal(string.Empty, ExpositionParser.Parse("# HELP m\nm 1").Single().Help);
    }

    [Fact]
    public void Accepts_crlf_blank_lines_tabs_trailing_comma_and_blanks_inside_braces()
    {
        var families = ExpositionParser.Parse(
            "# TYPE g gauge\r\n\r\n  g{ a = \"1\" ,\tb=\"2\", } \t 4 \r\n\r\ng 5 -10\r\n");
        var g = Assert.Single(families);
        Assert.Equal(MetricType.Gauge, g.Type);
        Assert.Equal("1", g.Samples[0].Labels["a"]);
        Assert.Equal("2", g.Samples[0].Labels["b"]);
        Assert.Equal(4, g.Samples[0].Value);
        Assert.Equal(-10, g.Samples[1].TimestampMs);
    }

    [Fact]
    public void Empty_input_has_no_families()
    {
        Assert.Empty(ExpositionParser.Parse(string.Empty));
        Assert.Empty(ExpositionParser.Parse("\n\n# just a comment\n"));
    }

    [Fact]
    public void Groups_histogram_buckets_sum_and_count_under_the_base_name()
    {
        var family = ExpositionParser.Parse("""
            # HELP rpc_duration_seconds A histogram of the RPC duration.
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{le="0.05"} 24054
            rpc_duration_seconds_bucket{le="0.1"} 33444
            rpc_duration_seconds_bucket{le="+Inf"} 144320
            rpc_duration_seconds_sum 53423
            rpc_duration_seconds_count 144320
            """).Single();

        Assert.Equal("rpc_duration_seconds", family.Name);
        Assert.Equal(MetricType.Histogram, family.Type);
        Assert.Equal(5, family.Samples.Count);
        Assert.Equal("+Inf", family.Samples[2].Labels["le"]);
    }

    [Fact]
    public void Groups_summary_quantiles_sum_and_count()
    {
        var family = ExpositionParser.Parse("""
            # TYPE rpc summary
            rpc{quantile="0.5"} 4773
            rpc{quantile="0.99"} 76656
            rpc_sum 1.7560473e+07
            rpc_count 2693
            """).Single();

        Assert.Equal(MetricType.Summary, family.Type);
        Assert.Equal(4, family.Samples.Count);
    }

    [Fact]
    public void Samples_named_like_a_suffix_of_an_untyped_metric_are_their_own_family()
    {
        var families = ExpositionParser.Parse("x 1\nx_count 2\n");
        Assert.Equal(["x", "x_count"], families.Select(f => f.Name));
    }

    [Theory]
    [InlineData("m", 1, "has no value")]
    [InlineData("m{a=\"1\"}", 1, "has no value")]
    [InlineData("m abc", 1, "invalid value 'abc'")]
    [InlineData("m 1,5", 1, "invalid value '1,5'")]
    [InlineData("m 1 12.5", 1, "invalid timestamp '12.5'")]
    [InlineData("m 1 2 3", 1, "unexpected text")]
    [InlineData("m{a=\"1\" 2", 1, "expected ',' or '}'")]
    [InlineData("m{a=\"1", 1, "unterminated value of label 'a'")]
    [InlineData("m{a=1} 2", 1, "expected '\"' to open the value of label 'a'")]
    [InlineData("m{a\"1\"} 2", 1, "expected '=' after label name 'a'")]
    [InlineData("m{a=\"\\t\"} 2", 1, "invalid escape sequence '\\t'")]
    [InlineData("m{a=\"1\",a=\"2\"} 2", 1, "label 'a' appears more than once")]
    [InlineData("m{1a=\"1\"} 2", 1, "invalid label name")]
    [InlineData("m{", 1, "unterminated label set")]
    [InlineData("1m 2", 1, "invalid metric name")]
    [InlineData("m-x 2", 1, "unexpected character '-'")]
    [InlineData("ok 1\n# TYPE m gauges", 2, "unknown metric type 'gauges'")]
    [InlineData("# TYPE m", 1, "expected a metric type")]
    [InlineData("# TYPE", 1, "expected a metric name")]
    [InlineData("# TYPE m gauge\n# TYPE m gauge", 2, "second TYPE line for 'm'")]
    [InlineData("# HELP m a\n# HELP m b", 2, "second HELP line for 'm'")]
    [InlineData("m 1\n# TYPE m gauge", 2, "TYPE line for 'm' after its samples")]
    [InlineData("# TYPE h histogram\nh_bucket 1", 2, "has no 'le' label")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"fast\"} 1", 2, "non-numeric le=\"fast\"")]
    [InlineData("# TYPE h histogram\nh_count 1\nh 2", 3, "does not fit the histogram 'h'")]
    public void Malformed_lines_name_the_line_and_the_problem(string text, int line, string reason)
    {
        var error = Assert.Throws<ExpositionFormatException>(() => ExpositionParser.Parse(text));
        Assert.Equal(line, error.LineNumber);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_text_over_the_byte_limit()
    {
        var error = Assert.Throws<ExpositionFormatException>(
            () => ExpositionParser.Parse("m 1\n", new ExpositionLimits { MaxBytes = 3 }));
        Assert.Contains("larger than 3 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_too_many_samples()
    {
        var error = Assert.Throws<ExpositionFormatException>(
            () => ExpositionParser.Parse("a 1\nb 2\nc 3\n", new ExpositionLimits { MaxSamples = 2 }));
        Assert.Equal(3, error.LineNumber);
    }

    [Fact]
    public async Task Stream_parsing_matches_in_memory_parsing_across_chunk_boundaries()
    {
        var text = new StringBuilder();
        text.Append("# HELP big Metric with a long label value \\\\ and ünïcödé\r\n# TYPE big gauge\r\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append("big{i=\"").Append(i).Append("\",pad=\"").Append(new string('é', i % 50)).Append("\"} ").Append(i).Append("e-1\r\n");
        }

        text.Append("last 1"); // no final newline
        var expected = ExpositionParser.Parse(text.ToString());

        // A stream that returns a few bytes at a time splits lines and multi-byte characters.
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text.ToString()), 7);
        var actual = await ExpositionParser.ParseAsync(stream);

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected[0].Help, actual[0].Help);
        Assert.Equal(expected[0].Samples.Select(s => (s.Labels.ToString(), s.Value)), actual[0].Samples.Select(s => (s.Labels.ToString(), s.Value)));
        Assert.Equal(1, actual[1].Samples.Single().Value);
    }

    [Fact]
    public async Task Stream_parsing_stops_at_the_byte_limit()
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("m 1\n", 10_000))), 4096);
        var error = await Assert.ThrowsAsync<ExpositionFormatException>(
            () => ExpositionParser.ParseAsync(stream, new ExpositionLimits { MaxBytes = 10_000 }));
        Assert.Contains("larger than 10000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_parsing_reports_invalid_utf8()
    {
        using var stream = new MemoryStream([(byte)'m', (byte)' ', (byte)'1', (byte)'\n', (byte)'m', 0xC3, 0x28, (byte)' ', (byte)'1']);
        var error = await Assert.ThrowsAsync<ExpositionFormatException>(() => ExpositionParser.ParseAsync(stream));
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_parsing_honours_cancellation()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("m 1\n"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ExpositionParser.ParseAsync(stream, cancellationToken: new CancellationToken(canceled: true)));
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
