{{/* Chart name, or nameOverride. */}}
{{- define "platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: fullnameOverride, else release name plus chart name (once). */}}
{{- define "platform.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object the chart creates. */}}
{{- define "platform.labels" -}}
helm.sh/chart: {{ include "platform.chart" . }}
{{ include "platform.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: platform
{{- end }}

{{/* The operator pods' selector: immutable on the Deployment, so it holds nothing that changes. */}}
{{- define "platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "platform.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Operator image: repository@digest, or repository:tag (tag defaults to appVersion). */}}
{{- define "platform.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "platform.defaultPodImage" -}}
{{- $image := .Values.operator.defaultPodImage }}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) }}
{{- end }}

{{/* Leader election is on when asked for, and always with more than one replica. */}}
{{- define "platform.leaderElection" -}}
{{- if or .Values.operator.leaderElection.enabled (gt (int .Values.replicas) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/* Label selector of the inference pods the operator creates (see operator/Reconciliation/ResourceLabels.cs). */}}
{{- define "platform.inferencePodSelector" -}}
app.kubernetes.io/managed-by: platform-operator
app.kubernetes.io/component: model-server
{{- end }}

{{/*
Checks across values that values.schema.json cannot express; each failure names the values.
Leader election timing follows the operator's own start-up check (client-go's rule).
*/}}
{{- define "platform.validate" -}}
{{- $e := .Values.operator.leaderElection }}
{{- if eq (include "platform.leaderElection" .) "true" }}
{{- if le (float64 $e.leaseDurationSeconds) (float64 $e.renewDeadlineSeconds) }}
{{- fail (printf "operator.leaderElection.leaseDurationSeconds (%v) must be greater than operator.leaderElection.renewDeadlineSeconds (%v)" $e.leaseDurationSeconds $e.renewDeadlineSeconds) }}
{{- end }}
{{- if le (float64 $e.renewDeadlineSeconds) (mulf 1.2 (float64 $e.retryPeriodSeconds)) }}
{{- fail (printf "operator.leaderElection.renewDeadlineSeconds (%v) must be greater than 1.2 x operator.leaderElection.retryPeriodSeconds (%v)" $e.renewDeadlineSeconds $e.retryPeriodSeconds) }}
{{- end }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.service.enabled: the ServiceMonitor scrapes the operator through that Service" }}
{{- end }}
{{- end }}
