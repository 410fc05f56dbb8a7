using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// InferenceService → the Deployment, Service and PodDisruptionBudget it should own. Pure:
/// same input, same objects (and hashes). Call it only for a spec that passed
/// <see cref="SpecValidator"/>.
/// </summary>
public static class DesiredStateBuilder
{
    public const int ServicePort = 80;

    /// <summary>The Service's gRPC port: the pod's, so clients use the same port inside and outside the pod.</summary>
    public const int GrpcServicePort = Contracts.PodSettings.DefaultGrpcPort;

    /// <param name="replicas">The Deployment's replica count, from <see cref="ReplicaPolicy.DesiredReplicas"/>.</param>
    /// <param name="cluster">What the API server can take (read once at start).</param>
    public static DesiredState Build(InferenceService service, ReconcileSettings settings, int replicas, ClusterCapabilities cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        if (string.IsNullOrEmpty(service.Metadata.Name) || string.IsNullOrEmpty(service.Metadata.NamespaceProperty) || string.IsNullOrEmpty(service.Metadata.Uid))
        {
            throw new ArgumentException("The InferenceService needs metadata.name, metadata.namespace and metadata.uid (as read from the API).", nameof(service));
        }

        return new DesiredState(
            DesiredHash.Stamp(Deployment(service, settings, replicas, cluster)),
            DesiredHash.Stamp(Service(service, settings)),
            DesiredHash.Stamp(DisruptionBudget(service, settings)));
    }

    private static V1Deployment Deployment(InferenceService service, ReconcileSettings settings, int replicas, ClusterCapabilities cluster) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = Metadata(service, settings),
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = ResourceLabels.Selector(service.Metadata.Name) },
            // Never below the serving capacity during a rollout: a new pod must be ready
            // (model loaded, warmed up) before an old one is stopped. The cost is room for one
            // extra pod (on GPU clusters: one free GPU set) while rolling.
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
            },
            RevisionHistoryLimit = settings.RevisionHistoryLimit,
            // A rollout may legitimately take the whole startup budget (model load, warm-up)
            // plus image pulls before the Deployment reports it stuck.
            ProgressDeadlineSeconds = settings.StartupTimeoutSeconds + 300,
            Template = PodTemplateBuilder.Build(service, settings, cluster),
        },
    };

    private static V1Service Service(InferenceService service, ReconcileSettings settings) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(service, settings),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = ResourceLabels.Selector(service.Metadata.Name),
            Ports =
            [
                new V1ServicePort
                {
                    Name = PodTemplateBuilder.PortName,
                    Port = ServicePort,
                    TargetPort = PodTemplateBuilder.PortName,
                    Protocol = "TCP",
                    AppProtocol = "http",
                },
                // h2c: HTTP/2 without TLS, so meshes and gateways route gRPC to it as HTTP/2.
                new V1ServicePort
                {
                    Name = PodTemplateBuilder.GrpcPortName,
                    Port = GrpcServicePort,
                    TargetPort = PodTemplateBuilder.GrpcPortName,
                    Protocol = "TCP",
                    AppProtocol = "kubernetes.io/h2c",
                },
            ],
        },
    };

    /// <summary>
    /// Always present, maxUnavailable 1: voluntary disruptions (node drains) take at most one
    /// replica at a time. With one replica that still lets a drain proceed (minAvailable 1
    /// would block it forever, as the Deployment never surges for an eviction), and keeping
    /// the object at every replica count avoids create/delete churn as the autoscaler moves
    /// between 1 and 2. Unhealthy pods may always be evicted, so a broken rollout never
    /// blocks a drain.
    /// </summary>
    private static V1PodDisruptionBudget DisruptionBudget(InferenceService service, ReconcileSettings settings) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = Metadata(service, settings),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = ResourceLabels.Selector(service.Metadata.Name) },
            UnhealthyPodEvictionPolicy = "AlwaysAllow",
        },
    };

    private static V1ObjectMeta Metadata(InferenceService service, ReconcileSettings settings) => new()
    {
        Name = service.Metadata.Name,
        NamespaceProperty = service.Metadata.NamespaceProperty,
        Labels = ResourceLabels.For(service.Metadata.Name, settings.FieldManager),
        OwnerReferences = [OwnerReference(service)],
    };

    /// <summary>Controller owner reference: deleting the InferenceService deletes what it owns.</summary>
    public static V1OwnerReference OwnerReference(InferenceService service) => new()
    {
        ApiVersion = InferenceService.ApiVersionValue,
        Kind = InferenceService.KindName,
        Name = service.Metadata.Name,
        Uid = service.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
