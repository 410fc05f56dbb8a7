using k8s;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

public sealed class BuiltInKindTests
{
    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }],
        },
    };

    [Fact]
    public async Task Services_get_an_address_that_survives_updates()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        var replacement = Service("web");
        replacement.Metadata.ResourceVersion = created.Metadata.ResourceVersion;
        replacement.Spec.Ports[0].Port = 81;
        var updated = await cluster.Client.CoreV1.ReplaceNamespacedServiceAsync(replacement, "web", "default");

        Assert.Equal("ClusterIP", created.Spec.Type);
        Assert.Equal("TCP", created.Spec.Ports[0].Protocol);
        Assert.StartsWith("10.96.", created.Spec.ClusterIP);
        Assert.Equal(created.Spec.ClusterIP, updated.Spec.ClusterIP);
        Assert.Equal(81, updated.Spec.Ports[0].Port);
    }

    [Fact]
    public async Task Service_names_must_be_DNS_labels()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.CoreV1.CreateNamespacedServiceAsync(Service("1web"), "default"));

        Assert.Equal(422, code);
        Assert.StartsWith("Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of", status.Message);
    }

    [Fact]
    public async Task Pod_disruption_budgets_allow_one_of_min_and_max()
    {
        await using var cluster = await TestCluster.StartAsync();
        var budget = new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, MaxUnavailable = "25%", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        };

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(budget, "default"));
        budget.Spec.MaxUnavailable = null;
        var created = await cluster.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(budget, "default");

        Assert.Equal(422, code);
        Assert.Contains("minAvailable and maxUnavailable cannot be both set", status.Message);
        Assert.Equal("1", created.Spec.MinAvailable.Value);
    }

    [Fact]
    public async Task Events_of_both_APIs_are_stored_and_selectable()
    {
        await using var cluster = await TestCluster.StartAsync();
        var regarding = new V1ObjectReference { Kind = "Widget", Name = "w", NamespaceProperty = "default", Uid = "u-1" };
        await cluster.Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "w." },
            InvolvedObject = regarding,
            Reason = "Scaled",
            Message = "scaled to 3",
            Type = "Normal",
        }, "default");
        await cluster.Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "w.2" },
            Regarding = regarding,
            Reason = "Ready",
            Note = "ready",
            Type = "Normal",
            Action = "Reconcile",
            ReportingController = "platform.dev/operator",
            ReportingInstance = "operator-0",
            EventTime = new DateTime(2026, 1, 1, 0, 0, 0, 500, DateTimeKind.Utc),
        }, "default");

        var core = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=w,reason=Scaled");
        var modern = await cluster.Client.EventsV1.ListNamespacedEventAsync("default", fieldSelector: "regarding.name=w");

        Assert.StartsWith("w.", Assert.Single(core.Items).Metadata.Name);
        Assert.Equal("Ready", Assert.Single(modern.Items).Reason);
    }
}
