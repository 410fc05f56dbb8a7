using System.Net;
using k8s.Autorest;
using Platform.Operator.Controller;

namespace Platform.Operator.Tests.Controller;

public sealed class ApiRefusalTests
{
    private static HttpOperationException Answer(HttpStatusCode code, string content) =>
        new("refused") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code) { ReasonPhrase = code.ToString() }, content) };

    [Theory]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public void Conflicts_and_throttling_are_retried_not_reported(HttpStatusCode code)
    {
        Assert.Null(ApiRefusal.Describe(Answer(code, """{"kind":"Status","reason":"Conflict","message":"stale"}"""), "Applying Deployment a"));
    }

    [Fact]
    public void A_refusal_names_the_write_the_code_the_reason_and_the_servers_message()
    {
        var described = ApiRefusal.Describe(
            Answer(HttpStatusCode.UnprocessableEntity, """{"kind":"Status","status":"Failure","reason":"Invalid","message":"Deployment.apps \"a\" is invalid: spec.template.spec.nodeSelector: Invalid value","code":422}"""),
            "Applying Deployment a");

        Assert.Equal("Applying Deployment a was refused (422 Invalid): Deployment.apps \"a\" is invalid: spec.template.spec.nodeSelector: Invalid value", described);
        Assert.False(ApiRefusal.IsServerSide(Answer(HttpStatusCode.UnprocessableEntity, "")));
    }

    [Fact]
    public void A_server_error_without_a_status_body_keeps_its_text()
    {
        var error = Answer(HttpStatusCode.InternalServerError, "upstream connect error");

        Assert.Equal("Writing the status was refused (500 InternalServerError): upstream connect error", ApiRefusal.Describe(error, "Writing the status"));
        Assert.True(ApiRefusal.IsServerSide(error));
    }

    [Fact]
    public void Errors_that_are_not_answers_are_not_refusals()
    {
        Assert.Null(ApiRefusal.Describe(new HttpRequestException("connection refused"), "Applying Deployment a"));
    }
}
