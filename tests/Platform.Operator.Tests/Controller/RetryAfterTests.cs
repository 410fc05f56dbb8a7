using System.Net;
using k8s.Autorest;
using Platform.Operator.Runtime;

namespace Platform.Operator.Tests.Controller;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static HttpOperationException Answer(HttpStatusCode code, string? retryAfter)
    {
        var response = new HttpResponseMessage(code);
        if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return new HttpOperationException("refused") { Response = new HttpResponseMessageWrapper(response, "") };
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "3", 3)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "1", 1)]
    [InlineData(HttpStatusCode.TooManyRequests, "Thu, 01 Jan 2026 12:00:05 GMT", 5)]
    [InlineData(HttpStatusCode.TooManyRequests, "Thu, 01 Jan 2026 11:59:00 GMT", 0)]
    [InlineData(HttpStatusCode.TooManyRequests, "soon", 0)]
    [InlineData(HttpStatusCode.TooManyRequests, null, 0)]
    [InlineData(HttpStatusCode.InternalServerError, "3", 0)]
    public void Retry_after_is_read_from_a_throttled_answer(HttpStatusCode code, string? header, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ControllerRunner.RetryAfter(Answer(code, header), Now));
    }

    [Fact]
    public void Other_errors_ask_for_no_wait()
    {
        Assert.Equal(TimeSpan.Zero, ControllerRunner.RetryAfter(new InvalidOperationException("x"), Now));
    }
}
