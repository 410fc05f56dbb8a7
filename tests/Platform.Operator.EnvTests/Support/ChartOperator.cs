using Platform.Operator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.EnvTest;
using Platform.Operator.Controller;
using Platform.Operator.Hosting;

namespace Platform.Operator.EnvTests.Support;

/// <summary>
/// The operator as the chart runs it: the chart rendered for one watched namespace, its
/// ServiceAccount and RBAC applied, the operator container's environment turned into the
/// process's configuration, and the process (OperatorHost, in this test process) authenticated
/// as that ServiceAccount, so it holds exactly the chart's permissions.
/// </summary>
internal sealed class ChartOperator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private ChartOperator(WebApplication app, string user, string identity)
    {
        _app = app;
        User = user;
        Identity = identity;
    }

    /// <summary>The ServiceAccount user name the operator authenticates as (the audit log's user).</summary>
    public string User { get; }

    /// <summary>The pod name the chart's downward API would give this replica (its leader-election identity).</summary>
    public string Identity { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Reconciles this replica has run (the operator's reconcile-duration histogram count).</summary>
    public long Reconciles => _app.Services.GetRequiredService<ControllerMetrics>().ReconcileDuration.Count;

    public bool IsLeader => _app.Services.GetRequiredService<ControllerMetrics>().Leader.Value == 1;

    /// <summary>Renders the chart (release namespace <paramref name="releaseNamespace"/>, watching <paramref name="watchNamespace"/>) and applies its ServiceAccount and RBAC.</summary>
    public static async Task<IReadOnlyList<object>> InstallRbacAsync(ControlPlane plane, string releaseNamespace, string watchNamespace, params string[] setArguments)
    {
        var rendered = await HelmChart.TemplateAsync(["--namespace", releaseNamespace, "--set", $"operator.watchNamespace={watchNamespace}", .. setArguments]);
        var objects = KubernetesYaml.LoadAllFromString(rendered);
        var rbac = objects.Where(o => o is V1ServiceAccount or V1Role or V1RoleBinding or V1ClusterRole or V1ClusterRoleBinding).ToList();
        Assert.NotEmpty(rbac);
        (await Kubectl.RunAsync(plane.AdminKubeconfig, ["apply", "--server-side", "-f", "-"], KubernetesYaml.SerializeAll(rbac))).EnsureSuccess("apply the chart's RBAC");
        return objects;
    }

    /// <summary>Starts one operator replica configured as the rendered chart's Deployment configures its container.</summary>
    public static async Task<ChartOperator> StartAsync(ControlPlane plane, IReadOnlyList<object> chart, string releaseNamespace, string identity, params string[] extraArguments)
    {
        var deployment = chart.OfType<V1Deployment>().Single();
        var serviceAccount = deployment.Spec.Template.Spec.ServiceAccountName;
        var container = deployment.Spec.Template.Spec.Containers.Single(c => c.Name == "operator");
        var configuration = new List<string>();
        foreach (var variable in container.Env ?? [])
        {
            var value = variable.Value ?? variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => identity,
                "metadata.namespace" => releaseNamespace,
                var other => throw new InvalidOperationException($"{variable.Name}: unsupported downward-API field {other}"),
            };
            // ASPNETCORE_HTTP_PORTS is not configuration; the test picks a free port instead.
            if (variable.Name.Contains("__", StringComparison.Ordinal)) configuration.Add($"--{variable.Name.Replace("__", ":", StringComparison.Ordinal)}={value}");
        }
        var kubeconfig = plane.ServiceAccountKubeconfig(releaseNamespace, serviceAccount);
        var app = OperatorHost.Build(
            [.. configuration, $"--kubeconfig={kubeconfig}", "--urls=http://127.0.0.1:0", "--Logging:Console:FormatterName=simple", .. extraArguments],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new ChartOperator(app, ControlPlane.ServiceAccountUser(releaseNamespace, serviceAccount), identity);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _app.StopAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped hard.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
