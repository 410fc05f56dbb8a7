using Platform.EnvTest;

namespace Platform.Operator.EnvTests.Support;

/// <summary>The tests of this assembly share one control plane; each works in its own namespace.</summary>
[CollectionDefinition(Name)]
public sealed class EnvTestCollection : ICollectionFixture<ControlPlaneFixture>
{
    public const string Name = "envtest";
}
