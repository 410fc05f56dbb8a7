namespace Platform.Operator.EnvTests.Support;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; on timeout the message says what was awaited and, if given, what was seen.</summary>
    public static async Task HoldsAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null, Func<Task<string>>? seen = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Not there yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not reached within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s: {what}" + (seen is null ? "" : $"\nseen: {await seen()}"));
            }
            await Task.Delay(200);
        }
    }
}
