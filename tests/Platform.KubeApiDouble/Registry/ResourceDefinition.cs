using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Registry;

/// <summary>Everything the server needs to know to serve one resource collection (built-in or from a CRD).</summary>
internal sealed record ResourceDefinition
{
    public required string Group { get; init; }

    /// <summary>Served versions; the first is the preferred one.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    public required string Kind { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatusSubresource { get; init; }

    public ScaleSubresource? Scale { get; init; }

    /// <summary>Whether a DELETE answers with the deleted object (otherwise with a <c>Status</c> of Success), per kind as on the real server.</summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>Whether the server maintains <c>metadata.generation</c> for this kind.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Field selector keys beyond <c>metadata.name</c> and <c>metadata.namespace</c>.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>Per served version of a custom resource: schema validation, defaults, printer columns.</summary>
    public IReadOnlyDictionary<string, CustomResourceVersion> CustomVersions { get; init; } =
        new Dictionary<string, CustomResourceVersion>();

    /// <summary>The name of the CRD that defines this resource; null for built-ins.</summary>
    public string? DefinedBy { get; init; }

    public bool IsCustom => DefinedBy is not null;

    /// <summary>Where objects live in the store: independent of version, as in etcd.</summary>
    public string StorageKey => $"{Group}/{Plural}";

    /// <summary><c>deployments.apps</c>, as the server names a resource in messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary><c>Deployment.apps</c>, as the server names a kind in validation messages.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public GroupVersionResource Gvr(string version) => new(Group, version, Plural);
}

/// <summary>The scale subresource: where replicas live in the object.</summary>
/// <param name="SelectorFromSpecSelector">Deployments format <c>spec.selector</c>; CRDs point at a string field.</param>
internal sealed record ScaleSubresource(
    DottedPath SpecReplicasPath,
    DottedPath StatusReplicasPath,
    DottedPath? LabelSelectorPath,
    bool SelectorFromSpecSelector = false);

/// <summary>One served version of a custom resource.</summary>
internal sealed record CustomResourceVersion(
    string Name,
    CustomResourceSchema? Schema,
    IReadOnlyList<PrinterColumn> PrinterColumns);

/// <summary>An <c>additionalPrinterColumns</c> entry of a CRD version.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority, string? Description);
