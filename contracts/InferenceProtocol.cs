namespace Platform.Contracts;

/// <summary>Constants of the Open Inference Protocol (KServe/Triton V2) as the pod serves it.</summary>
public static class InferenceProtocol
{
    public const string LivePath = "/v2/health/live";
    public const string ReadyPath = "/v2/health/ready";

    public static string InferPath(string model) => $"/v2/models/{model}/infer";
    public static string JobPath(string id) => $"/v2/jobs/{id}";

    /// <summary>Query parameter of the classify endpoint: how many labels to return.</summary>
    public const string TopKParameter = "top_k";

    /// <summary>Binary tensor data extension: length of the JSON header that starts the body.</summary>
    public const string InferenceHeaderContentLength = "Inference-Header-Content-Length";
    public const string BinaryContentType = "application/octet-stream";

    /// <summary>Request parameter: priority level, 1 is the highest (Triton's convention); 0 or absent is the default level.</summary>
    public const string PriorityParameter = "priority";
    /// <summary>Request parameter: deadline in microseconds from arrival (Triton's "timeout"); it can only shorten the server's default.</summary>
    public const string TimeoutParameter = "timeout";
    /// <summary>Request parameter: answer every output in binary form.</summary>
    public const string BinaryDataOutputParameter = "binary_data_output";
    /// <summary>Output parameter: answer this output in binary form.</summary>
    public const string BinaryDataParameter = "binary_data";
    /// <summary>Tensor parameter: byte length of this tensor's binary data.</summary>
    public const string BinaryDataSizeParameter = "binary_data_size";

    /// <summary>The V2 gRPC service (package "inference" of grpc_predict_v2.proto).</summary>
    public const string GrpcServiceName = "inference.GRPCInferenceService";

    /// <summary>Response header of a quota policy (draft-ietf-httpapi-ratelimit-headers).</summary>
    public const string RateLimitPolicyHeader = "RateLimit-Policy";
    /// <summary>Response header of the current service limit (draft-ietf-httpapi-ratelimit-headers).</summary>
    public const string RateLimitHeader = "RateLimit";
}
