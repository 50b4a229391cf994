{{/*
The Kubernetes recommended labels (app.kubernetes.io/*) of the platform's charts. Every helper takes
a dict:
  context       the chart's root context ($)
  name          app.kubernetes.io/name
  component     app.kubernetes.io/component
  platform      realtime-platform.io/platform, when the objects belong to one platform (optional):
                two platforms in one release or namespace never share a selector
  version       app.kubernetes.io/version, cut to a label value (left out when the dict has no
                version key: objects that run no versioned image, pods that restart on no version)
  partOf        app.kubernetes.io/part-of
  commonLabels  extra labels of every object (optional)
  podLabels     extra labels of the pods (optional, pod labels only)
*/}}

{{/*
common.v1.labels.selector: the immutable labels that select a component's pods.
*/}}
{{- define "common.v1.labels.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- with .platform }}
realtime-platform.io/platform: {{ . }}
{{- end }}
{{- end -}}

{{/*
common.v1.labels.standard: the labels of every object (selector labels, chart, version, manager,
part-of, commonLabels).
*/}}
{{- define "common.v1.labels.standard" -}}
helm.sh/chart: {{ include "common.v1.names.chart" .context }}
{{ include "common.v1.labels.selector" . }}
{{- if hasKey . "version" }}
app.kubernetes.io/version: {{ .version | toString | trunc 63 | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: {{ .partOf }}
{{- with .commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
common.v1.labels.pod: a pod template's labels. Without helm.sh/chart and managed-by, so a chart
version bump alone restarts nothing.
*/}}
{{- define "common.v1.labels.pod" -}}
{{ include "common.v1.labels.selector" . }}
{{- if hasKey . "version" }}
app.kubernetes.io/version: {{ .version | toString | trunc 63 | quote }}
{{- end }}
app.kubernetes.io/part-of: {{ .partOf }}
{{- with .commonLabels }}
{{ toYaml . }}
{{- end }}
{{- with .podLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}
