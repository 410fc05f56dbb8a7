namespace Platform.Operator.Tests.Api;

/// <summary>InferenceService manifests as a user writes them.</summary>
internal static class SampleObjects
{
    public const string GpuService = """
        apiVersion: serving.platform.dev/v1alpha1
        kind: InferenceService
        metadata:
          name: resnet
          namespace: ml
        spec:
          model:
            name: resnet50
            path: resnet50/model.onnx
            source:
              pvc:
                claimName: models
                subPath: vision
          resources:
            cpu: "4"
            memory: 8Gi
            gpu: 1
          nodeSelector:
            nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
          tolerations:
          - key: dedicated
            operator: Equal
            value: inference
            effect: NoSchedule
          affinity:
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 100
                podAffinityTerm:
                  topologyKey: kubernetes.io/hostname
                  labelSelector:
                    matchLabels:
                      serving.platform.dev/inferenceservice: resnet
          serving:
            maxBatchSize: 32
            maxQueueDelayMs: 5
            warmupBatchSizes: [1, 8, 32]
          autoscaling:
            maxReplicas: 8
            targetQueueDepth: 16
            targetP95LatencyMs: 100
            scaleDown:
              stabilizationWindowSeconds: 120
          env:
          - name: Server__MaxRequestBodyBytes
            value: "67108864"
          - name: POD_NAME
            valueFrom:
              fieldRef:
                fieldPath: metadata.name
        """;

    public const string MinimalImageService = """
        apiVersion: serving.platform.dev/v1alpha1
        kind: InferenceService
        metadata:
          name: mlp
          namespace: default
        spec:
          model:
            path: mlp.onnx
            source:
              image:
                reference: registry.example.com/models/mlp:1
        """;
}
