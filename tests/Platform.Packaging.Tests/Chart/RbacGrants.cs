using System.Text.Json.Nodes;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Chart;

/// <summary>One (group, resource, verb) a binding gives the service account; Namespace null means every namespace.</summary>
internal sealed record Grant(string? Namespace, string Group, string Resource, string Verb, IReadOnlyList<string> ResourceNames, string Role)
{
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "" : Group + "/")}{Resource}{(ResourceNames.Count == 0 ? "" : "[" + string.Join(",", ResourceNames) + "]")} in {Namespace ?? "all namespaces"} (from {Role})";
}

/// <summary>
/// What the rendered RBAC lets one service account do, evaluated the way the RBAC authorizer
/// does: a ClusterRoleBinding grants everywhere, a RoleBinding only in its namespace, and a rule
/// with resourceNames only for requests that name one of them.
/// </summary>
internal sealed class RbacGrants
{
    private RbacGrants(IReadOnlyList<Grant> grants) => Grants = grants;

    public IReadOnlyList<Grant> Grants { get; }

    public static RbacGrants Of(RenderedChart chart, string serviceAccount, string serviceAccountNamespace)
    {
        var grants = new List<Grant>();
        foreach (var binding in chart.Objects.Where(o => (string?)o["kind"] is "RoleBinding" or "ClusterRoleBinding"))
        {
            var subjects = binding["subjects"]?.AsArray() ?? [];
            if (!subjects.Any(s => (string?)s!["kind"] == "ServiceAccount" && (string?)s["name"] == serviceAccount && (string?)s["namespace"] == serviceAccountNamespace))
            {
                continue;
            }
            var bindingNamespace = (string?)binding["kind"] == "RoleBinding" ? (string?)binding["metadata"]!["namespace"] : null;
            var roleKind = (string)binding["roleRef"]!["kind"]!;
            var roleName = (string)binding["roleRef"]!["name"]!;
            var role = chart.OfKind(roleKind).SingleOrDefault(r => (string?)r["metadata"]!["name"] == roleName
                && (roleKind == "ClusterRole" || (string?)r["metadata"]!["namespace"] == bindingNamespace));
            Assert.True(role is not null, $"{binding["kind"]} {binding["metadata"]!["name"]} refers to {roleKind} {roleName}, which the chart does not render (in that namespace)");
            foreach (var rule in role["rules"]?.AsArray() ?? [])
            {
                foreach (var group in JsonStrings.Of(rule!["apiGroups"]))
                foreach (var resource in JsonStrings.Of(rule["resources"]))
                foreach (var verb in JsonStrings.Of(rule["verbs"]))
                {
                    grants.Add(new Grant(bindingNamespace, group, resource, verb, JsonStrings.Of(rule["resourceNames"]), $"{roleKind} {roleName}"));
                }
            }
        }
        return new RbacGrants(grants);
    }

    /// <summary>Whether the call is allowed in <paramref name="ns"/> (null: across all namespaces).</summary>
    public bool Allows(ApiCall call, string? ns) => Grants.Any(g =>
        (g.Namespace is null || g.Namespace == ns)
        && g.Group == call.Group && g.Resource == call.Resource && g.Verb == call.Verb
        && (g.ResourceNames.Count == 0 || (call.ResourceName is not null && g.ResourceNames.Contains(call.ResourceName))));
}
