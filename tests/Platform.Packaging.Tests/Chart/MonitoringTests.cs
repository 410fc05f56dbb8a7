using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;
using Platform.Packaging.Tests.Support;
using Prometheus;

namespace Platform.Packaging.Tests.Chart;

/// <summary>Metrics Service, monitors, alerts and dashboard: they select the right objects and query metrics that exist.</summary>
public sealed partial class MonitoringTests
{
    [ToolFact(TestPrograms.Helm)]
    public async Task By_default_no_prometheus_operator_objects_are_rendered()
    {
        var chart = await RenderedChart.RenderAsync();

        Assert.Empty(chart.OfKind("ServiceMonitor"));
        Assert.Empty(chart.OfKind("PodMonitor"));
        Assert.Empty(chart.OfKind("PrometheusRule"));
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_metrics_service_selects_the_operator_pods_on_their_named_port()
    {
        var chart = await RenderedChart.RenderAsync();
        var service = chart.OfKind("Service").Single(s => ((string)s["metadata"]!["name"]!).EndsWith("-metrics", StringComparison.Ordinal));
        var podLabels = chart.Single("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray());

        Assert.True(IsSubset(service["spec"]!["selector"]!.AsObject(), podLabels));
        Assert.Contains(chart.OperatorContainer["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)port!["targetPort"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_service_monitor_scrapes_the_metrics_service()
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of("monitoring"));
        var monitor = chart.Single("ServiceMonitor");
        var service = chart.OfKind("Service").Single(s => ((string)s["metadata"]!["name"]!).EndsWith("-metrics", StringComparison.Ordinal));
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray());

        Assert.True(IsSubset(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), service["metadata"]!["labels"]!.AsObject()));
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)endpoint!["port"]);
        Assert.Equal("/metrics", (string?)endpoint!["path"]);
    }

    [ToolTheory(TestPrograms.Helm)]
    [InlineData("monitoring", null)]
    [InlineData("watch-namespace", ChartVariants.WatchedNamespace)]
    public async Task The_pod_monitor_selects_the_inference_pods_the_operator_creates(string variant, string? watched)
    {
        string[] arguments = [.. ChartVariants.Of(variant), "--set", "metrics.podMonitor.enabled=true"];
        var chart = await RenderedChart.RenderAsync(arguments);
        var monitor = chart.Single("PodMonitor");
        var template = DesiredStateBuilder.Build(Services.Cpu("resnet"), new ReconcileSettings { DefaultImage = "example/inference-pod:1" }, 1, ClusterCapabilities.Newest).Deployment.Spec.Template;
        var endpoint = Assert.Single(monitor["spec"]!["podMetricsEndpoints"]!.AsArray());

        foreach (var (key, value) in monitor["spec"]!["selector"]!["matchLabels"]!.AsObject())
        {
            Assert.Equal((string?)value, template.Metadata.Labels.TryGetValue(key, out var label) ? label : null);
        }
        Assert.Contains(template.Spec.Containers.Single().Ports, p => p.Name == (string?)endpoint!["port"]);
        Assert.Equal(PodMetrics.Path, (string?)endpoint!["path"]);
        if (watched is null) Assert.True((bool?)monitor["spec"]!["namespaceSelector"]!["any"]);
        else Assert.Equal([watched], JsonStrings.Of(monitor["spec"]!["namespaceSelector"]!["matchNames"]));
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Alerts_and_dashboard_query_only_metrics_the_pod_and_operator_export()
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of("monitoring"));
        var known = await KnownMetricNamesAsync();
        var queries = AlertExpressions(chart).Concat(DashboardExpressions(chart)).ToList();

        var unknown = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Where(n => !known.Contains(n)).Distinct().ToList();

        Assert.NotEmpty(queries);
        Assert.True(unknown.Count == 0, $"metric names nobody exports: {string.Join(", ", unknown)}");
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_dashboard_shows_queue_depth_latency_throughput_batch_size_and_replicas()
    {
        var chart = await RenderedChart.RenderAsync();
        var panels = Dashboard(chart)["panels"]!.AsArray();
        string Queries(string title) => string.Join("\n", panels.Single(p => (string?)p!["title"] == title)!["targets"]!.AsArray().Select(t => (string)t!["expr"]!));

        Assert.Contains(PodMetrics.QueueDepth, Queries("Queue depth"), StringComparison.Ordinal);
        Assert.Contains($"histogram_quantile(0.95, sum by (namespace, model, le) (rate({PodMetrics.RequestDuration}_bucket", Queries("p95 request latency"), StringComparison.Ordinal);
        Assert.Contains(PodMetrics.Requests, Queries("Throughput"), StringComparison.Ordinal);
        Assert.Contains(PodMetrics.BatchSize, Queries("Batch size"), StringComparison.Ordinal);
        Assert.Contains(PodMetrics.ModelReady, Queries("Replicas"), StringComparison.Ordinal);
        Assert.Equal("1", (string?)chart.OfKind("ConfigMap").Single()["metadata"]!["labels"]!["grafana_dashboard"]);
    }

    [ToolFact(TestPrograms.Helm, TestPrograms.Promtool)]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of("monitoring"));
        using var directory = new TemporaryDirectory("platform-rules-");
        await File.WriteAllTextAsync(directory.File("rules.yaml"), RulesFile(chart, withAnnotations: true));

        var result = await Promtool.RunAsync(directory.Path, "check", "rules", "rules.yaml");

        Assert.True(result.ExitCode == 0, result.Describe("promtool check rules"));
        Assert.Contains("4 rules found", result.StandardOutput, StringComparison.Ordinal);
    }

    [ToolFact(TestPrograms.Helm, TestPrograms.Promtool)]
    public async Task The_alerts_fire_on_the_conditions_they_describe_and_not_below_them()
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of("monitoring"));
        using var directory = new TemporaryDirectory("platform-rules-");
        // Annotations left out: promtool compares them verbatim, and here only when an alert fires matters.
        await File.WriteAllTextAsync(directory.File("rules.yaml"), RulesFile(chart, withAnnotations: false));
        await File.WriteAllTextAsync(directory.File("tests.yaml"), AlertScenarios);

        var result = await Promtool.RunAsync(directory.Path, "test", "rules", "tests.yaml");

        Assert.True(result.ExitCode == 0, result.Describe("promtool test rules"));
    }

    /// <summary>
    /// Series as the inference pods and the operator export them (names from the contracts), with
    /// the namespace and pod labels a scrape adds; each alert is checked where it must fire and
    /// where it must not (below the threshold, or not yet for its 'for' duration).
    /// </summary>
    private static string AlertScenarios => $$"""
        rule_files: [rules.yaml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: '{{PodMetrics.QueueDepth}}{namespace="ml", model="hot", pod="hot-1"}'
                values: '240x10'
              - series: '{{PodMetrics.QueueCapacity}}{namespace="ml", model="hot", pod="hot-1"}'
                values: '256x10'
              - series: '{{PodMetrics.QueueDepth}}{namespace="ml", model="calm", pod="calm-1"}'
                values: '100x10'
              - series: '{{PodMetrics.QueueCapacity}}{namespace="ml", model="calm", pod="calm-1"}'
                values: '256x10'
            alert_rule_test:
              - eval_time: 3m
                alertname: InferenceQueueSaturated
                exp_alerts: []
              - eval_time: 6m
                alertname: InferenceQueueSaturated
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: ml, model: hot}
          - interval: 1m
            input_series:
              # 10 requests/s, all slower than 2 s; and 10 requests/s, all within 5 ms.
              - series: '{{PodMetrics.RequestDuration}}_bucket{namespace="ml", model="slow", pod="slow-1", le="1"}'
                values: '0x20'
              - series: '{{PodMetrics.RequestDuration}}_bucket{namespace="ml", model="slow", pod="slow-1", le="2.5"}'
                values: '0+600x20'
              - series: '{{PodMetrics.RequestDuration}}_bucket{namespace="ml", model="slow", pod="slow-1", le="+Inf"}'
                values: '0+600x20'
              - series: '{{PodMetrics.RequestDuration}}_bucket{namespace="ml", model="fast", pod="fast-1", le="0.005"}'
                values: '0+600x20'
              - series: '{{PodMetrics.RequestDuration}}_bucket{namespace="ml", model="fast", pod="fast-1", le="+Inf"}'
                values: '0+600x20'
            alert_rule_test:
              - eval_time: 8m
                alertname: InferenceLatencyHigh
                exp_alerts: []
              - eval_time: 16m
                alertname: InferenceLatencyHigh
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: ml, model: slow}
          - interval: 1m
            input_series:
              - series: '{{PodMetrics.ModelReady}}{namespace="ml", model="mlp", pod="mlp-1"}'
                values: '0x20'
              - series: '{{PodMetrics.ModelReady}}{namespace="ml", model="mlp", pod="mlp-2"}'
                values: '1x20'
            alert_rule_test:
              - eval_time: 10m
                alertname: InferenceModelNotReady
                exp_alerts: []
              - eval_time: 16m
                alertname: InferenceModelNotReady
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: ml, model: mlp, pod: mlp-1}
          - interval: 1m
            input_series:
              - series: 'platform_operator_reconciles_total{namespace="platform-system", pod="platform-1", result="error"}'
                values: '0+3x30'
              - series: 'platform_operator_reconciles_total{namespace="platform-system", pod="platform-1", result="success"}'
                values: '0+50x30'
            alert_rule_test:
              - eval_time: 10m
                alertname: OperatorReconcileErrors
                exp_alerts: []
              - eval_time: 25m
                alertname: OperatorReconcileErrors
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: platform-system, pod: platform-1}
        """;

    private static string RulesFile(RenderedChart chart, bool withAnnotations)
    {
        var groups = chart.Single("PrometheusRule")["spec"]!["groups"]!.DeepClone().AsArray();
        if (!withAnnotations)
        {
            foreach (var rule in groups.SelectMany(g => g!["rules"]!.AsArray())) rule!.AsObject().Remove("annotations");
        }
        // JSON is YAML: promtool reads it as a rules file.
        return new JsonObject { ["groups"] = groups }.ToJsonString();
    }

    private static IEnumerable<string> AlertExpressions(RenderedChart chart) =>
        chart.Single("PrometheusRule")["spec"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string)r!["expr"]!);

    private static IEnumerable<string> DashboardExpressions(RenderedChart chart) =>
        Dashboard(chart)["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!)
            .Concat(Dashboard(chart)["templating"]!["list"]!.AsArray().Select(v => (string?)v!["definition"]).OfType<string>());

    private static JsonObject Dashboard(RenderedChart chart)
    {
        var map = chart.OfKind("ConfigMap").Single(c => ((string)c["metadata"]!["name"]!).EndsWith("-dashboard", StringComparison.Ordinal));
        return JsonNode.Parse((string)map["data"]!["inference-services.json"]!)!.AsObject();
    }

    /// <summary>The pod's metric names (from the contract) and the operator's (as its registry exports them), with histogram series suffixes.</summary>
    private static async Task<HashSet<string>> KnownMetricNamesAsync()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in typeof(PodMetrics).GetFields().Where(f => f.IsLiteral && f.Name != nameof(PodMetrics.Path) && !f.Name.EndsWith("Label", StringComparison.Ordinal)))
        {
            var name = (string)field.GetRawConstantValue()!;
            names.UnionWith([name, name + "_bucket", name + "_sum", name + "_count"]);
        }
        var registry = Metrics.NewCustomRegistry();
        new OperatorMetrics(registry).CountWrite("apply", "deployments");
        new ControllerMetrics(registry).CountReconcile("error");
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var exposition = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        names.UnionWith(exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => MetricName().Match(l).Value));
        return names;
    }

    private static bool IsSubset(JsonObject subset, JsonObject of) =>
        subset.All(kv => of.TryGetPropertyValue(kv.Key, out var value) && (string?)value == (string?)kv.Value);

    [GeneratedRegex("platform_[a-z_]+")]
    private static partial Regex MetricName();

    /// <summary>Minimal InferenceServices for building the objects the operator would create.</summary>
    private static class Services
    {
        public static InferenceService Cpu(string name) => new()
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = name, NamespaceProperty = "ml", Uid = "00000000-0000-0000-0000-000000000001" },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Path = "model.onnx", Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } } },
            },
        };
    }
}
