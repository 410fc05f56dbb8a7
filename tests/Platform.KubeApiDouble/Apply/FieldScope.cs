namespace Platform.KubeApiDouble.Apply;

/// <summary>Which part of an object a write may touch: the main resource or its status subresource.</summary>
internal enum FieldScope
{
    /// <summary>Everything (kinds without a status subresource).</summary>
    Whole,

    /// <summary>Everything except <c>status</c> (main endpoint of kinds with a status subresource).</summary>
    MainWithoutStatus,

    /// <summary>Only <c>status</c> (the <c>/status</c> endpoint).</summary>
    StatusOnly,
}
