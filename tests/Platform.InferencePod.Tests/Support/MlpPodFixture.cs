using Platform.InferencePod.TestSupport;
namespace Platform.InferencePod.Tests.Support;

/// <summary>One mlp pod shared by the tests of a class, with a small body limit to test it.</summary>
public sealed class MlpPodFixture : IAsyncLifetime
{
    public const int BodyLimit = 64 * 1024;
    public PodServer Pod { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Pod = await PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?> { ["Server:MaxRequestBodyBytes"] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async Task DisposeAsync() => await Pod.DisposeAsync();
}
