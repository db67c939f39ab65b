{{/* Names and labels. Components: pypi-proxy, npm-proxy, audit-gateway. */}}
{{- define "registry.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{/* Component resource name. Call with (dict "root" $ "component" "pypi-proxy"). */}}
{{- define "registry.name" -}}
{{ include "registry.fullname" .root }}-{{ .component }}
{{- end -}}

{{- define "registry.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "registry.labels" -}}
{{ include "registry.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "registry.image" -}}
{{ .root.Values.image.repository }}/{{ .component }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{/* Name of the Secret holding S3 credentials: the user's existing one, or the chart's. */}}
{{- define "registry.auditTokenSecretName" -}}
{{- if .Values.auditToken.existingSecret -}}{{ .Values.auditToken.existingSecret }}{{- else -}}{{ include "registry.fullname" . }}-audit-token{{- end -}}
{{- end -}}

{{/* AUDIT_GATEWAY_TOKEN for every component (the gateway checks it, the proxies send it); never optional. */}}
{{- define "registry.auditTokenEnv" -}}
- name: AUDIT_GATEWAY_TOKEN
  valueFrom: { secretKeyRef: { name: {{ include "registry.auditTokenSecretName" . }}, key: {{ .Values.auditToken.key }} } }
{{- end -}}

{{/* The chart's audit token: the one already in its Secret, else a new random one, so an upgrade keeps it. */}}
{{- define "registry.auditToken" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "registry.auditTokenSecretName" .) -}}
{{- if and $existing $existing.data (hasKey $existing.data .Values.auditToken.key) -}}
{{- index $existing.data .Values.auditToken.key | b64dec -}}
{{- else -}}
{{- randAlphaNum 40 -}}
{{- end -}}
{{- end -}}

{{- define "registry.s3SecretName" -}}
{{- if .Values.s3.existingSecret -}}{{ .Values.s3.existingSecret }}{{- else -}}{{ include "registry.fullname" . }}-s3{{- end -}}
{{- end -}}

{{/* Public URL of a proxy: explicit value, else https?://<ingress host>, else unset. */}}
{{- define "registry.publicUrl" -}}
{{- if .values.publicUrl -}}{{ .values.publicUrl }}{{- else if .values.ingress.enabled -}}{{ ternary "https" "http" .values.ingress.tls.enabled }}://{{ .values.ingress.host }}{{- end -}}
{{- end -}}

{{/*
The web console's peer (README "Web console"), the other proxy: browsers follow its public URL, this proxy's
search asks its in-cluster service. Both empty when the peer is disabled or has no public URL.
*/}}
{{- define "registry.webConsolePeer" -}}
{{- $public := include "registry.publicUrl" . -}}
WEB_CONSOLE_PEER_URL: {{ ternary $public "" .values.enabled | quote }}
WEB_CONSOLE_PEER_SEARCH_URL: {{ ternary (printf "http://%s:%v" (include "registry.name" .) .values.port) "" (and .values.enabled (ne $public "")) | quote }}
{{- end -}}

{{/* gRPC address of the in-chart gateway for the proxies ("" = audit off). */}}
{{- define "registry.auditAddr" -}}
{{- if .Values.auditGateway.enabled -}}{{ include "registry.name" (dict "root" . "component" "audit-gateway") }}:{{ .Values.auditGateway.grpcPort }}{{- end -}}
{{- end -}}

{{/* Non-secret variables shared by both proxies (StorageEnv in libs/shared/config). */}}
{{- define "registry.storageEnv" -}}
{{- if and (eq .root.Values.downloadRedirect.mode "presigned") (ne .root.Values.storageDriver "s3") }}{{ fail "downloadRedirect.mode=presigned needs storageDriver=s3 (presigned URLs are URLs of S3 objects)" }}{{ end }}
STORAGE_DRIVER: {{ .root.Values.storageDriver | quote }}
DATA_DIR: "/data"
S3_ENDPOINT: {{ .root.Values.s3.endpoint | quote }}
S3_REGION: {{ .root.Values.s3.region | quote }}
S3_BUCKET: {{ .root.Values.s3.bucket | quote }}
S3_FORCE_PATH_STYLE: {{ .root.Values.s3.forcePathStyle | toString | quote }}
S3_VERIFY_CONDITIONAL_WRITES: {{ .root.Values.s3.verifyConditionalWrites | toString | quote }}
STORAGE_PREFIX: {{ .root.Values.storagePrefix | quote }}
S3_PUBLIC_ENDPOINT: {{ .root.Values.s3.publicEndpoint | quote }}
STORAGE_DOWNLOAD_REDIRECT: {{ .root.Values.downloadRedirect.mode | quote }}
STORAGE_DOWNLOAD_REDIRECT_TTL_MS: {{ .root.Values.downloadRedirect.ttlMs | int64 | toString | quote }}
{{- end -}}

{{/* S3 credentials as env entries with secretKeyRef (values never appear in a ConfigMap). */}}
{{- define "registry.s3SecretEnv" -}}
- name: S3_ACCESS_KEY_ID
  valueFrom: { secretKeyRef: { name: {{ include "registry.s3SecretName" . }}, key: {{ .Values.s3.accessKeyIdKey }} } }
- name: S3_SECRET_ACCESS_KEY
  valueFrom: { secretKeyRef: { name: {{ include "registry.s3SecretName" . }}, key: {{ .Values.s3.secretAccessKeyKey }} } }
{{- end -}}

{{/* The enabled components as a JSON list; templates range over it (fromJsonArray). */}}
{{- define "registry.components" -}}
{{- $out := list -}}
{{- if .Values.pypiProxy.enabled -}}{{- $out = append $out (dict "component" "pypi-proxy" "values" .Values.pypiProxy "httpPort" .Values.pypiProxy.port "proxy" true) -}}{{- end -}}
{{- if .Values.npmProxy.enabled -}}{{- $out = append $out (dict "component" "npm-proxy" "values" .Values.npmProxy "httpPort" .Values.npmProxy.port "proxy" true) -}}{{- end -}}
{{- if .Values.auditGateway.enabled -}}{{- $out = append $out (dict "component" "audit-gateway" "values" .Values.auditGateway "httpPort" .Values.auditGateway.httpPort "proxy" false) -}}{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* The component's `env` map as ConfigMap data. The chart wires some variables itself (ports, HOST,
     DATA_DIR, storage, Kafka, AUDIT_GATEWAY_ADDR, *_PUBLIC_URL); setting one of those here is an error. */}}
{{- define "registry.extraEnv" -}}
{{- $wired := list "HOST" "DATA_DIR" "LOG_LEVEL" "STORAGE_DRIVER" "STORAGE_PREFIX" "S3_ENDPOINT" "S3_REGION" "S3_BUCKET" "S3_FORCE_PATH_STYLE" "S3_VERIFY_CONDITIONAL_WRITES" "S3_PUBLIC_ENDPOINT" "STORAGE_DOWNLOAD_REDIRECT" "STORAGE_DOWNLOAD_REDIRECT_TTL_MS" "S3_ACCESS_KEY_ID" "S3_SECRET_ACCESS_KEY" "AUDIT_GATEWAY_ADDR" "PYPI_PROXY_PORT" "PYPI_PUBLIC_URL" "NPM_PROXY_PORT" "NPM_PUBLIC_URL" "AUDIT_GATEWAY_PORT" "AUDIT_GATEWAY_HTTP_PORT" "KAFKA_BROKERS" "KAFKA_AUDIT_TOPIC" "AUDIT_GATEWAY_TOKEN" -}}
{{- range $name, $value := .values.env }}
{{- if has $name $wired }}{{ fail (printf "%s.env.%s: the chart sets this variable itself; use the dedicated value" $.component $name) }}{{ end }}
{{- if hasKey $.values.secretEnv.values $name }}{{ fail (printf "%s: %s is in both env and secretEnv" $.component $name) }}{{ end }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secret-backed variables: env entries with secretKeyRef, the key being the variable's name. */}}
{{- define "registry.secretEnv" -}}
{{- $secret := .values.secretEnv.existingSecret | default (printf "%s-env" (include "registry.name" .)) -}}
{{- range $name, $_ := .values.secretEnv.values }}
- name: {{ $name }}
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: {{ $name }}, optional: true } }
{{- end }}
{{- end -}}

{{/* npm-proxy's registry signing key: the one already in the chart's Secret, else a new ECDSA P-256 key, so an
     upgrade keeps the key every published signature was made with. */}}
{{- define "registry.npmSigningKey" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (printf "%s-env" (include "registry.name" .)) -}}
{{- if and $existing $existing.data (hasKey $existing.data "NPM_SIGNING_KEY") (index $existing.data "NPM_SIGNING_KEY") -}}
{{- index $existing.data "NPM_SIGNING_KEY" | b64dec -}}
{{- else -}}
{{- genPrivateKey "ecdsa" -}}
{{- end -}}
{{- end -}}

{{- define "registry.kafkaSecretEnv" -}}
- name: KAFKA_BROKERS
  valueFrom: { secretKeyRef: { name: {{ .Values.kafka.existingSecret }}, key: {{ .Values.kafka.brokersKey }} } }
{{- end -}}

{{/* The lake job's variables (infra/lake/job/README.md): Kafka, object store, catalog, checkpoint. The master is
     left to spark-submit (LAKE_SPARK_MASTER empty); S3 keys and a Secret-held broker list come by secretKeyRef. */}}
{{- define "registry.lakeEnv" -}}
{{- $l := .Values.lake -}}
{{- if .Values.kafka.existingSecret }}
{{ include "registry.kafkaSecretEnv" . }}
{{- else }}
- { name: KAFKA_BROKERS, value: {{ .Values.kafka.brokers | quote }} }
{{- end }}
- { name: KAFKA_AUDIT_TOPIC, value: {{ .Values.kafka.auditTopic | quote }} }
- { name: S3_ENDPOINT, value: {{ .Values.s3.endpoint | quote }} }
- { name: S3_REGION, value: {{ .Values.s3.region | quote }} }
- { name: S3_FORCE_PATH_STYLE, value: {{ .Values.s3.forcePathStyle | toString | quote }} }
{{ include "registry.s3SecretEnv" . }}
- { name: LAKE_CATALOG_TYPE, value: {{ $l.catalogType | quote }} }
- { name: LAKE_CATALOG_URI, value: {{ $l.catalogUri | quote }} }
- { name: LAKE_WAREHOUSE, value: {{ $l.warehouse | quote }} }
- { name: LAKE_CHECKPOINT_LOCATION, value: {{ $l.checkpointLocation | quote }} }
- { name: LAKE_TRIGGER, value: {{ $l.trigger | quote }} }
- { name: LAKE_SPARK_MASTER, value: "" }
- { name: LAKE_METRICS_FILE, value: "/tmp/lake-metrics.json" }
- { name: PYTHONPATH, value: "/app/infra/lake/job" }
{{- range $name, $value := $l.env }}
- { name: {{ $name }}, value: {{ $value | toString | quote }} }
{{- end }}
{{- end -}}
