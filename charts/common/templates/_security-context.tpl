{{/*
common.v1.securityContext.pod: a pod's securityContext as YAML, from the chart's podSecurityContext
values. With a uid, the pod runs as that user and group and its volumes belong to that group
(runAsUser, runAsGroup and fsGroup are the uid, whatever the values say): for charts whose
workloads each have their image's own user. Call with (dict "values" .Values.podSecurityContext)
or (dict "values" .Values.podSecurityContext "uid" 999).
*/}}
{{- define "common.v1.securityContext.pod" -}}
{{- $context := deepCopy (.values | default dict) -}}
{{- if hasKey . "uid" -}}
{{- $_ := set $context "runAsUser" .uid -}}
{{- $_ := set $context "runAsGroup" .uid -}}
{{- $_ := set $context "fsGroup" .uid -}}
{{- end -}}
{{- toYaml $context -}}
{{- end -}}

{{/*
common.v1.securityContext.container: a container's securityContext as YAML, from the chart's
hardened containerSecurityContext values (no privilege escalation, read-only root, no
capabilities). Call with the values block, e.g. .Values.containerSecurityContext.
*/}}
{{- define "common.v1.securityContext.container" -}}
{{- toYaml . -}}
{{- end -}}
