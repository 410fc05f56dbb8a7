namespace Platform.Operator.Api.Schema;

// Attributes that play the role of kubebuilder markers: the API types carry their own
// OpenAPI schema, and CrdBuilder turns them into the CRD. Each attribute maps to one
// schema keyword (named in its summary).

/// <summary><c>description</c> of a type or field, as <c>kubectl explain</c> shows it.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property | AttributeTargets.Enum)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The field is listed in its parent's <c>required</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary><c>default</c>: the API server fills the value in when the field is absent.</summary>
/// <remarks>The property's initializer must hold the same value; a test checks both agree.</remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute : Attribute
{
    public DefaultAttribute(int value) => Value = value;
    public DefaultAttribute(long value) => Value = value;
    public DefaultAttribute(double value) => Value = value;
    public DefaultAttribute(bool value) => Value = value;
    public DefaultAttribute(string value) => Value = value;

    public object Value { get; }
}

/// <summary>
/// <c>default: {}</c> on an object field, so that the defaults of the fields inside it
/// apply even when the user leaves the whole object out.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultEmptyObjectAttribute : Attribute;

/// <summary><c>minimum</c> and/or <c>maximum</c> (inclusive) of a number.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    public RangeAttribute(double minimum, double maximum) => (Minimum, Maximum) = (minimum, maximum);
    public RangeAttribute(double minimum) => (Minimum, Maximum) = (minimum, null);

    public double Minimum { get; }
    public double? Maximum { get; }
}

/// <summary><c>pattern</c>: an ECMA/RE2-compatible regular expression a string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}

/// <summary><c>minLength</c>/<c>maxLength</c> of a string.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
}

/// <summary><c>minItems</c>/<c>maxItems</c> of a list (a bound also keeps CEL cost estimates low).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
}

/// <summary><c>minimum</c>/<c>maximum</c> of each item of a list of numbers.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemRangeAttribute(double minimum, double maximum) : Attribute
{
    public double Minimum { get; } = minimum;
    public double Maximum { get; } = maximum;
}

/// <summary>
/// One <c>x-kubernetes-validations</c> entry: a CEL rule evaluated by the API server
/// against the type or field it is placed on (<c>self</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;
    /// <summary>Optional JSONPath (relative to self) the error is reported on, e.g. <c>.maxReplicas</c>.</summary>
    public string? FieldPath { get; init; }
}

/// <summary><c>x-kubernetes-list-type: map</c> keyed by the given item fields (server-side apply merges by key).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>
/// <c>x-kubernetes-preserve-unknown-fields: true</c>: the field is stored as given, without a schema for its content.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;

/// <summary>Names of the custom resource beyond what <c>k8s.Models.KubernetesEntityAttribute</c> holds.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ResourceNamesAttribute(string singular, params string[] shortNames) : Attribute
{
    public string Singular { get; } = singular;
    public IReadOnlyList<string> ShortNames { get; } = shortNames;
    public string[] Categories { get; set; } = [];
    public bool Namespaced { get; set; } = true;
}

/// <summary>The resource has the <c>status</c> subresource (status is written apart from spec).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StatusSubresourceAttribute : Attribute;

/// <summary>The resource has the <c>scale</c> subresource, so <c>kubectl scale</c>, HPA and KEDA can drive it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ScaleSubresourceAttribute(string specReplicasPath, string statusReplicasPath, string labelSelectorPath) : Attribute
{
    public string SpecReplicasPath { get; } = specReplicasPath;
    public string StatusReplicasPath { get; } = statusReplicasPath;
    public string LabelSelectorPath { get; } = labelSelectorPath;
}

/// <summary>One <c>additionalPrinterColumns</c> entry (<c>kubectl get</c>); columns keep declaration order via <see cref="Order"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;
    public string Name { get; } = name;
    /// <summary>integer, number, string, boolean or date.</summary>
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string? Description { get; init; }
    /// <summary>0 shows in the default view, higher only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
