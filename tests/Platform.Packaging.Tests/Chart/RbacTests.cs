using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Chart;

/// <summary>The chart's RBAC grants exactly what the operator calls: all of it, nothing more, no wildcards.</summary>
public sealed class RbacTests
{
    public static TheoryData<string> Variants => ChartVariants.All;

    [ToolTheory(TestPrograms.Helm)]
    [MemberData(nameof(Variants))]
    public async Task No_rule_uses_a_wildcard_or_a_non_resource_url(string variant)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        var problems = new List<string>();
        foreach (var role in chart.Objects.Where(o => (string?)o["kind"] is "Role" or "ClusterRole"))
        {
            var name = $"{role["kind"]} {role["metadata"]!["name"]}";
            Assert.Null(role["aggregationRule"]);
            foreach (var rule in role["rules"]?.AsArray() ?? [])
            {
                if (rule!["nonResourceURLs"] is not null) problems.Add($"{name}: nonResourceURLs");
                foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames" })
                {
                    if (JsonStrings.Of(rule[field]).Any(v => v.Contains('*'))) problems.Add($"{name}: wildcard in {field}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [ToolTheory(TestPrograms.Helm)]
    [MemberData(nameof(Variants))]
    public async Task Every_call_the_operator_makes_is_granted_where_it_makes_it(string variant)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        var grants = RbacGrants.Of(chart, ServiceAccountOf(chart), RenderedChart.ReleaseNamespace);
        var watched = ChartVariants.WatchNamespaceOf(variant);

        var missing = NeededCalls(variant)
            .Where(call => !grants.Allows(call, call.Scope == CallScope.Watched ? watched : RenderedChart.ReleaseNamespace))
            .ToList();

        Assert.True(missing.Count == 0, $"not granted ({variant}):\n{string.Join("\n", missing)}");
    }

    [ToolTheory(TestPrograms.Helm)]
    [MemberData(nameof(Variants))]
    public async Task Nothing_is_granted_beyond_the_operators_calls(string variant)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        var grants = RbacGrants.Of(chart, ServiceAccountOf(chart), RenderedChart.ReleaseNamespace);
        var watched = ChartVariants.WatchNamespaceOf(variant);
        var needed = NeededCalls(variant);

        var excess = grants.Grants.Where(grant =>
        {
            var calls = needed.Where(c => c.Group == grant.Group && c.Resource == grant.Resource && c.Verb == grant.Verb).ToList();
            if (calls.Count == 0) return true;
            var scopeFits = calls.Any(c => grant.Namespace == (c.Scope == CallScope.Watched ? watched : RenderedChart.ReleaseNamespace));
            // A call that names its object must get a rule narrowed to that name.
            var namesFit = calls.Any(c => c.ResourceName is null) || (grant.ResourceNames.Count > 0 && grant.ResourceNames.All(n => calls.Any(c => c.ResourceName == n)));
            return !scopeFits || !namesFit;
        }).ToList();

        Assert.True(excess.Count == 0, $"granted but not needed, or wider than needed ({variant}):\n{string.Join("\n", excess)}");
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task A_watch_namespace_gets_roles_in_that_namespace_and_no_cluster_roles()
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of("watch-namespace"));

        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        var role = Assert.Single(chart.OfKind("Role"));
        Assert.Equal(ChartVariants.WatchedNamespace, (string?)role["metadata"]!["namespace"]);
        Assert.Equal(ChartVariants.WatchedNamespace, chart.Environment["Operator__WatchNamespace"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task All_namespaces_get_a_cluster_role_and_the_operator_is_not_narrowed()
    {
        var chart = await RenderedChart.RenderAsync();

        Assert.Single(chart.OfKind("ClusterRole"));
        Assert.Single(chart.OfKind("ClusterRoleBinding"));
        Assert.False(chart.Environment.ContainsKey("Operator__WatchNamespace"));
    }

    [ToolTheory(TestPrograms.Helm)]
    [InlineData("defaults", false)]
    [InlineData("two-replicas", true)]
    [InlineData("one-replica-leader-election", true)]
    public async Task Leases_are_granted_only_with_leader_election_and_only_in_the_release_namespace(string variant, bool granted)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        var grants = RbacGrants.Of(chart, ServiceAccountOf(chart), RenderedChart.ReleaseNamespace);

        var leaseGrants = grants.Grants.Where(g => g.Resource == "leases").ToList();

        Assert.Equal(granted, leaseGrants.Count > 0);
        Assert.All(leaseGrants, g => Assert.Equal(RenderedChart.ReleaseNamespace, g.Namespace));
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Without_rbac_create_the_chart_renders_no_rbac_objects()
    {
        var chart = await RenderedChart.RenderAsync("--set", "rbac.create=false");

        Assert.DoesNotContain(chart.Objects, o => ((string?)o["apiVersion"])?.StartsWith("rbac.authorization.k8s.io/", StringComparison.Ordinal) == true);
    }

    private static string ServiceAccountOf(RenderedChart chart)
    {
        var name = (string)chart.Single("Deployment")["spec"]!["template"]!["spec"]!["serviceAccountName"]!;
        Assert.Contains(chart.OfKind("ServiceAccount"), sa => (string?)sa["metadata"]!["name"] == name);
        return name;
    }

    private static List<ApiCall> NeededCalls(string variant) =>
        OperatorApiCalls.All.Where(c => !c.OnlyWithLeaderElection || ChartVariants.LeaderElectionOf(variant)).ToList();
}
