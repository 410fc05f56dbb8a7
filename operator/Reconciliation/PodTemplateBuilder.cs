using System.Globalization;
using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>The pod template of an InferenceService's Deployment.</summary>
public static class PodTemplateBuilder
{
    public const string ContainerName = "server";
    public const string PortName = "http";
    public const string GrpcPortName = "grpc";
    public const string ModelVolumeName = "model";
    public const string TmpVolumeName = "tmp";
    public const string GpuResource = "nvidia.com/gpu";

    private const int ProbePeriodSeconds = 5;

    /// <param name="cluster">What the API server can take; null: every capability (<see cref="ClusterCapabilities.Newest"/>).</param>
    public static V1PodTemplateSpec Build(InferenceService service, ReconcileSettings settings, ClusterCapabilities? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(settings);
        var spec = service.Spec;
        var name = service.Metadata.Name;
        var shutdown = PodShutdown.For(spec, settings, cluster ?? ClusterCapabilities.Newest);

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = ResourceLabels.For(name, settings.FieldManager),
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["prometheus.io/scrape"] = "true",
                    ["prometheus.io/port"] = PodSettings.DefaultHttpPort.ToString(CultureInfo.InvariantCulture),
                    ["prometheus.io/path"] = Contracts.PodMetrics.Path,
                },
            },
            Spec = new V1PodSpec
            {
                // The pod never calls the Kubernetes API; no token, no service env flood.
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = settings.RunAsUser,
                    RunAsGroup = settings.RunAsUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                TerminationGracePeriodSeconds = shutdown.TerminationGracePeriodSeconds,
                NodeSelector = spec.NodeSelector is null ? null : new Dictionary<string, string>(spec.NodeSelector, StringComparer.Ordinal),
                Tolerations = Tolerations(spec),
                Affinity = spec.Affinity,
                Containers = [Container(service, settings, shutdown)],
                Volumes = [ModelVolume(spec.Model.Source), TmpVolume(settings)],
            },
        };
    }

    private static V1Container Container(InferenceService service, ReconcileSettings settings, PodShutdown shutdown)
    {
        var spec = service.Spec;
        return new V1Container
        {
            Name = ContainerName,
            Image = string.IsNullOrEmpty(spec.Image) ? settings.DefaultImage : spec.Image,
            ImagePullPolicy = spec.ImagePullPolicy?.ToString(),
            Ports =
            [
                new V1ContainerPort { Name = PortName, ContainerPort = PodSettings.DefaultHttpPort, Protocol = "TCP" },
                new V1ContainerPort { Name = GrpcPortName, ContainerPort = PodSettings.DefaultGrpcPort, Protocol = "TCP" },
            ],
            Env = PodEnvironment.Build(service, settings, shutdown),
            Resources = Resources(spec.Resources),
            VolumeMounts =
            [
                new V1VolumeMount
                {
                    Name = ModelVolumeName,
                    MountPath = settings.ModelMountPath,
                    ReadOnlyProperty = true,
                    SubPath = spec.Model.Source.Pvc?.SubPath,
                },
                new V1VolumeMount { Name = TmpVolumeName, MountPath = "/tmp" },
            ],
            // Startup and readiness both wait for warm-up; liveness only asks whether the
            // process serves, so a long load or a busy replica is never restarted for it.
            StartupProbe = Probe(InferenceProtocol.ReadyPath, ProbePeriodSeconds, timeoutSeconds: 2,
                failureThreshold: (int)Math.Ceiling(settings.StartupTimeoutSeconds / (double)ProbePeriodSeconds)),
            ReadinessProbe = Probe(InferenceProtocol.ReadyPath, ProbePeriodSeconds, timeoutSeconds: 2, failureThreshold: 2),
            LivenessProbe = Probe(InferenceProtocol.LivePath, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3),
            // The sleep runs before SIGTERM, while endpoint removal spreads to kube-proxy and
            // load balancers: requests routed to the pod meanwhile are still served. The sleep
            // action needs no shell in the image (Kubernetes 1.30+; before, PodShutdown leaves it out).
            Lifecycle = shutdown.PreStopSleepSeconds > 0
                ? new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = shutdown.PreStopSleepSeconds } } }
                : null,
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
        };
    }

    /// <summary>CPU and memory as request = limit (Guaranteed QoS); GPUs as a limit, which Kubernetes copies to the request.</summary>
    private static V1ResourceRequirements? Resources(ResourcesSpec resources)
    {
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (resources.Cpu is not null)
        {
            requests["cpu"] = resources.Cpu;
            limits["cpu"] = resources.Cpu;
        }
        if (resources.Memory is not null)
        {
            requests["memory"] = resources.Memory;
            limits["memory"] = resources.Memory;
        }
        if (resources.Gpu > 0)
        {
            limits[GpuResource] = new ResourceQuantity(resources.Gpu.ToString(CultureInfo.InvariantCulture));
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return null;
        }
        return new V1ResourceRequirements
        {
            Requests = requests.Count > 0 ? requests : null,
            Limits = limits.Count > 0 ? limits : null,
        };
    }

    /// <summary>
    /// The user's tolerations, plus one for the common 'nvidia.com/gpu' taint of GPU nodes when
    /// the pod asks for GPUs and no listed toleration already covers that key.
    /// </summary>
    private static List<V1Toleration>? Tolerations(InferenceServiceSpec spec)
    {
        var tolerations = spec.Tolerations?.ToList() ?? [];
        var gpuCovered = tolerations.Any(t => t.Key == GpuResource || (string.IsNullOrEmpty(t.Key) && t.OperatorProperty == "Exists"));
        if (spec.Resources.Gpu > 0 && !gpuCovered)
        {
            tolerations.Add(new V1Toleration { Key = GpuResource, OperatorProperty = "Exists", Effect = "NoSchedule" });
        }
        return tolerations.Count > 0 ? tolerations : null;
    }

    private static V1Volume ModelVolume(ModelSource source)
    {
        if (source.Pvc is { } pvc)
        {
            return new V1Volume
            {
                Name = ModelVolumeName,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = pvc.ClaimName, ReadOnlyProperty = true },
            };
        }
        if (source.Image is { } image)
        {
            return new V1Volume
            {
                Name = ModelVolumeName,
                Image = new V1ImageVolumeSource { Reference = image.Reference, PullPolicy = image.PullPolicy?.ToString() },
            };
        }
        // SpecValidator refuses this before any object is built.
        throw new InvalidOperationException("spec.model.source has neither pvc nor image.");
    }

    private static V1Volume TmpVolume(ReconcileSettings settings) => new()
    {
        Name = TmpVolumeName,
        EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(settings.TmpSizeLimit) },
    };

    private static V1Probe Probe(string path, int periodSeconds, int timeoutSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = PortName, Scheme = "HTTP" },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = timeoutSeconds,
        FailureThreshold = failureThreshold,
        SuccessThreshold = 1,
    };
}
