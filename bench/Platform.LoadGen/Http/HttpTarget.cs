namespace Platform.LoadGen.Http;

/// <summary>
/// A server made ready for a run: it answers ready, its metadata is read, the request is built from it,
/// and one request has been answered correctly.
/// </summary>
internal sealed class HttpTarget : IDisposable
{
    private HttpTarget(InferenceClient client, PreparedRequest request) => (Client, Request) = (client, request);

    public InferenceClient Client { get; }

    public PreparedRequest Request { get; }

    public static async Task<HttpTarget> PrepareAsync(HttpOptions options, TimeProvider time, CancellationToken cancel)
    {
        var client = new InferenceClient(options.BaseUrl, options.Model, options.PoolSize, options.ClientTimeout, options.ExpectContinue);
        try
        {
            await client.WaitReadyAsync(options.ReadyTimeout, time, cancel);
            var metadata = await client.GetMetadataAsync(cancel);
            var request = InferRequestBuilder.Build(metadata, options);
            Console.Error.WriteLine($"http: {options.BaseUrl} model {options.Model}: request {request.Description}");
            foreach (var output in await client.CheckOnceAsync(request, metadata, cancel))
            {
                Console.Error.WriteLine($"http: answer {output}");
            }
            return new HttpTarget(client, request);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose() => Client.Dispose();
}
