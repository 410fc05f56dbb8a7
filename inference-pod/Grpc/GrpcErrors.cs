using System.Globalization;
using Grpc.Core;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Grpc;

/// <summary>The data plane's errors (HTTP status codes) as gRPC status codes, mapped in one place.</summary>
public static class GrpcErrors
{
    /// <summary>Trailer with the seconds to wait before retrying, as the REST Retry-After header.</summary>
    public const string RetryAfterTrailer = "retry-after";
    /// <summary>The gRPC retry pushback trailer, honoured by clients with a retry policy.</summary>
    public const string RetryPushbackTrailer = "grpc-retry-pushback-ms";

    public static StatusCode ToStatusCode(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => StatusCode.InvalidArgument,
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status413PayloadTooLarge => StatusCode.ResourceExhausted,
        StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
        499 => StatusCode.Cancelled,
        StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
        StatusCodes.Status504GatewayTimeout => StatusCode.DeadlineExceeded,
        // Out of device memory for this request: a resource limit, not a defect.
        StatusCodes.Status507InsufficientStorage => StatusCode.ResourceExhausted,
        >= 400 and < 500 => StatusCode.FailedPrecondition,
        _ => StatusCode.Internal,
    };

    public static RpcException ToRpcException(InferenceError error, int? retryAfterSeconds)
    {
        var trailers = new Metadata();
        if (retryAfterSeconds is { } seconds)
        {
            trailers.Add(RetryAfterTrailer, seconds.ToString(CultureInfo.InvariantCulture));
            trailers.Add(RetryPushbackTrailer, (seconds * 1000L).ToString(CultureInfo.InvariantCulture));
        }
        return new RpcException(new Status(ToStatusCode(error.StatusCode), error.Message), trailers, error.Message);
    }
}
