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

    public const string ClassifierWithEveryFeature = """
        apiVersion: serving.platform.dev/v1alpha1
        kind: InferenceService
        metadata:
          name: classifier
          namespace: ml
        spec:
          model:
            path: resnet50/model.onnx
            source:
              pvc:
                claimName: models
          resources:
            gpu: 1
          rateLimits:
            limits: 2/s, 5/min, 100/h
            apiKeyHeader: X-Api-Key
            forwardedHeader: X-Forwarded-For
            maxClients: 20000
          cache:
            ttlSeconds: 600
            maxBytes: 256Mi
            maxEntryBytes: 1Mi
            redis:
              secretRef:
                name: redis
                key: connection-string
              timeoutMs: 100
          jobs:
            maxJobs: 200
            resultTtlSeconds: 3600
            queueTimeoutSeconds: 60
            maxResultBytes: 4Mi
            redis:
              secretRef:
                name: redis
                key: connection-string
          preprocessing:
            input: data
            resizeShorterSide: 256
            height: 224
            width: 224
            layout: NCHW
            channelOrder: RGB
            scale: 0.00392156862745098
            mean: [0.485, 0.456, 0.406]
            std: [0.229, 0.224, 0.225]
            dataType: FP32
            maxPixels: 16777216
          postprocessing:
            output: logits
            softmax: true
            topK: 5
            labelsPath: resnet50/labels.txt
          gpu:
            minFreeMemory: 2Gi
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
