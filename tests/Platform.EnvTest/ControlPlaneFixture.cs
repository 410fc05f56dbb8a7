using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Platform.EnvTest;

/// <summary>
/// One control plane shared by a test collection (start-up takes seconds; a namespace per test
/// keeps tests apart). Declare it in the test assembly:
/// <c>[CollectionDefinition("envtest")] public sealed class EnvTestCollection : ICollectionFixture&lt;ControlPlaneFixture&gt;;</c>
/// Without assets nothing starts: the tests skip through <see cref="EnvTestFactAttribute"/>.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private ControlPlane? _plane;
    private int _namespaces;

    public ControlPlane Plane => _plane ?? throw new InvalidOperationException(EnvTestAssets.MissingReason ?? "the control plane has not started");

    public IKubernetes Admin => Plane.Admin;

    public async Task InitializeAsync()
    {
        if (EnvTestAssets.Current is null) return;
        _plane = await ControlPlane.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_plane is not null) await _plane.DisposeAsync();
    }

    /// <summary>A fresh namespace, named after the test (a short prefix) and a counter; left for the plane's disposal.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var name = $"{Sanitize(prefix)}-{Interlocked.Increment(ref _namespaces)}";
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static string Sanitize(string prefix)
    {
        var chars = prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var text = new string(chars).Trim('-');
        return text.Length > 40 ? text[..40].TrimEnd('-') : text;
    }
}
