using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Platform.EnvTest;

/// <summary>
/// A real Kubernetes control plane on loopback, as controller-runtime's envtest starts one: etcd,
/// kube-apiserver (TLS, client-certificate identities, RBAC, audit log) and
/// kube-controller-manager (garbage collector, Deployment and ReplicaSet controllers; no node
/// lifecycle, since there is no kubelet). Everything lives in one temporary folder, removed on
/// dispose; the processes are stopped by their ids.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    // Kubernetes' default range: room for a Service per InferenceService in a thousand-service run (a /24 holds 254).
    public const string ServiceClusterIpRange = "10.96.0.0/12";
    public const string AdminUser = "envtest-admin";

    private readonly List<ControlPlaneProcess> _processes = [];
    private readonly CertificateAuthority _ca;

    private ControlPlane(string directory, CertificateAuthority ca)
    {
        Directory = directory;
        _ca = ca;
        Audit = new AuditLog(Path.Combine(directory, "audit.log"));
    }

    /// <summary>The temporary folder holding certificates, kubeconfigs, the audit log and etcd's data.</summary>
    public string Directory { get; }

    public Uri ApiServerUrl { get; private set; } = null!;

    public AuditLog Audit { get; }

    /// <summary>How long start-up took, etcd to a ready API server.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>kubeconfig of the cluster administrator (group system:masters).</summary>
    public string AdminKubeconfig { get; private set; } = null!;

    /// <summary>A client as the administrator.</summary>
    public IKubernetes Admin { get; private set; } = null!;

    public IReadOnlyList<ControlPlaneProcess> Processes => _processes;

    /// <exception cref="InvalidOperationException">The assets are missing or a program did not come up; the message holds each program's last output lines.</exception>
    public static async Task<ControlPlane> StartAsync(EnvTestAssets? assets = null, CancellationToken cancellationToken = default)
    {
        assets ??= EnvTestAssets.Current ?? throw new InvalidOperationException(EnvTestAssets.MissingReason);
        var clock = Stopwatch.StartNew();
        var directory = System.IO.Directory.CreateTempSubdirectory("envtest-").FullName;
        var plane = new ControlPlane(directory, new CertificateAuthority("envtest-ca"));
        try
        {
            await plane.StartProcessesAsync(assets, cancellationToken);
            plane.StartupTime = clock.Elapsed;
            return plane;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var output = string.Join('\n', plane._processes.Select(p => p.Describe()));
            await plane.DisposeAsync();
            throw new InvalidOperationException($"the envtest control plane did not start: {e.Message}\n{output}", e);
        }
    }

    /// <summary>
    /// A kubeconfig for a client-certificate identity. For a ServiceAccount use
    /// <see cref="ServiceAccountKubeconfig"/>; the API server takes CN as the user and each O as a group.
    /// </summary>
    public string UserKubeconfig(string user, params string[] groups)
    {
        var file = Path.Combine(Directory, "kubeconfig-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user)))[..16].ToLowerInvariant());
        if (!File.Exists(file)) File.WriteAllText(file, Kubeconfig(user, _ca.IssueClient(user, groups)));
        return file;
    }

    /// <summary>A kubeconfig whose identity is the ServiceAccount <paramref name="name"/> of <paramref name="ns"/>, as RBAC sees one.</summary>
    public string ServiceAccountKubeconfig(string ns, string name) =>
        UserKubeconfig(ServiceAccountUser(ns, name), "system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated");

    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    public static IKubernetes ClientFor(string kubeconfig) =>
        new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    public async ValueTask DisposeAsync()
    {
        // Reverse order: the controller manager and API server before etcd.
        for (var i = _processes.Count - 1; i >= 0; i--) _processes[i].Dispose();
        Admin?.Dispose();
        _ca.Dispose();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
                if (System.IO.Directory.Exists(EtcdDataDirectory)) System.IO.Directory.Delete(EtcdDataDirectory, recursive: true);
                return;
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
        }
    }

    // etcd fsyncs every write; in memory (/dev/shm) a 1,000-object burst does not wait on the disk.
    private string EtcdDataDirectory =>
        System.IO.Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(Directory) + "-etcd") : Path.Combine(Directory, "etcd");

    private async Task StartProcessesAsync(EnvTestAssets assets, CancellationToken cancellationToken)
    {
        var files = WriteFiles();
        int etcdPort = FreePort(), etcdPeerPort = FreePort(), etcdMetricsPort = FreePort(), apiPort = FreePort(), kcmPort = FreePort();
        var etcdUrl = $"http://127.0.0.1:{etcdPort}";
        _processes.Add(ControlPlaneProcess.Start("etcd", assets.Etcd,
        [
            "--name=envtest", $"--data-dir={EtcdDataDirectory}",
            $"--listen-client-urls={etcdUrl}", $"--advertise-client-urls={etcdUrl}",
            $"--listen-peer-urls=http://127.0.0.1:{etcdPeerPort}", $"--initial-advertise-peer-urls=http://127.0.0.1:{etcdPeerPort}",
            $"--initial-cluster=envtest=http://127.0.0.1:{etcdPeerPort}", $"--listen-metrics-urls=http://127.0.0.1:{etcdMetricsPort}",
            "--log-level=warn",
        ], Directory));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            await WaitUntilAsync("etcd /health", async () => (await http.GetAsync($"{etcdUrl}/health", cancellationToken)).IsSuccessStatusCode, cancellationToken);
        }

        ApiServerUrl = new Uri($"https://127.0.0.1:{apiPort}");
        _processes.Add(ControlPlaneProcess.Start("kube-apiserver", assets.ApiServer,
        [
            $"--etcd-servers={etcdUrl}",
            "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", $"--secure-port={apiPort}",
            $"--cert-dir={Directory}", $"--tls-cert-file={files.ServingCert}", $"--tls-private-key-file={files.ServingKey}",
            $"--client-ca-file={files.CaCert}",
            "--service-account-issuer=https://kubernetes.default.svc", $"--service-account-key-file={files.ServiceAccountKey}",
            $"--service-account-signing-key-file={files.ServiceAccountKey}",
            $"--service-cluster-ip-range={ServiceClusterIpRange}",
            "--authorization-mode=RBAC",
            "--endpoint-reconciler-type=none",
            "--allow-privileged=true",
            $"--audit-policy-file={files.AuditPolicy}", $"--audit-log-path={Audit.Path}", "--audit-log-maxbackup=0",
            "--v=0",
        ], Directory));
        AdminKubeconfig = UserKubeconfig(AdminUser, "system:masters");
        Admin = ClientFor(AdminKubeconfig);
        using (var http = AdminHttpClient())
        {
            await WaitUntilAsync("kube-apiserver /readyz", async () => (await http.GetAsync(new Uri(ApiServerUrl, "/readyz"), cancellationToken)).IsSuccessStatusCode, cancellationToken);
        }

        var controllerManagerKubeconfig = UserKubeconfig("system:kube-controller-manager", "system:masters");
        _processes.Add(ControlPlaneProcess.Start("kube-controller-manager", assets.ControllerManager,
        [
            $"--kubeconfig={controllerManagerKubeconfig}",
            // Without a kubelet the node lifecycle controller would mark nodes NotReady and evict pods.
            "--controllers=*,-nodelifecycle",
            "--leader-elect=false",
            $"--service-account-private-key-file={files.ServiceAccountKey}", $"--root-ca-file={files.CaCert}",
            "--bind-address=127.0.0.1", $"--secure-port={kcmPort}", $"--cert-dir={Path.Combine(Directory, "kcm")}",
            // A burst of a thousand Deployments: ReplicaSets and Pods follow without waiting on the default 20 QPS.
            "--kube-api-qps=200", "--kube-api-burst=400",
            "--v=0",
        ], Directory));
        using (var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { Timeout = TimeSpan.FromSeconds(2) })
        {
            // Its own self-signed serving certificate: only its liveness is read here.
            await WaitUntilAsync("kube-controller-manager /healthz", async () => (await http.GetAsync($"https://127.0.0.1:{kcmPort}/healthz", cancellationToken)).IsSuccessStatusCode, cancellationToken);
        }
    }

    /// <summary>An HttpClient that trusts this plane's CA and presents the admin certificate (for /readyz, /metrics).</summary>
    public HttpClient AdminHttpClient()
    {
        var admin = _ca.IssueClient(AdminUser + "-http", "system:masters");
        var certificate = X509Certificate2.CreateFromPem(admin.Certificate, admin.PrivateKey);
        // SslStream on Linux wants the key in a PKCS#12-backed certificate.
        var exported = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        var handler = new HttpClientHandler
        {
            ClientCertificates = { exported },
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, server, _, _) => server is not null && IssuedByCa(server),
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private bool IssuedByCa(X509Certificate2 server)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private (string CaCert, string ServingCert, string ServingKey, string ServiceAccountKey, string AuditPolicy) WriteFiles()
    {
        string Write(string name, string content)
        {
            var file = Path.Combine(Directory, name);
            File.WriteAllText(file, content);
            return file;
        }
        var serving = _ca.IssueServer("kube-apiserver", "kubernetes", "kubernetes.default", "kubernetes.default.svc");
        using var serviceAccountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (
            Write("ca.crt", _ca.CertificatePem),
            Write("apiserver.crt", serving.Certificate),
            Write("apiserver.key", serving.PrivateKey),
            Write("service-account.key", serviceAccountKey.ExportECPrivateKeyPem()),
            // Metadata of every request once it is answered: user, verb, resource, code.
            Write("audit-policy.yaml", """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                rules:
                - level: Metadata
                """));
    }

    private string Kubeconfig(string user, PemPair identity)
    {
        static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: envtest
              cluster:
                server: {ApiServerUrl}
                certificate-authority-data: {Base64(_ca.CertificatePem)}
            users:
            - name: {user}
              user:
                client-certificate-data: {Base64(identity.Certificate)}
                client-key-data: {Base64(identity.PrivateKey)}
            contexts:
            - name: envtest
              context:
                cluster: envtest
                user: {user}
            current-context: envtest
            """;
    }

    private async Task WaitUntilAsync(string what, Func<Task<bool>> ready, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited) throw new InvalidOperationException($"{exited.Name} exited while waiting for {what}");
            try
            {
                if (await ready()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"{what} not ready within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
