{{/*
realtime-platform.v1.monitoringObject: "true" when an optional Prometheus Operator object renders:
its values block asks for it (`enabled`), or `detectApi` is on and the cluster serves the kind in
monitoring.coreos.com/v1. Call with (list $ <values block> "PodMonitor").
*/}}
{{- define "realtime-platform.v1.monitoringObject" -}}
{{- $root := index . 0 -}}
{{- $values := index . 1 -}}
{{- $kind := index . 2 -}}
{{- if or $values.enabled (and $values.detectApi ($root.Capabilities.APIVersions.Has (printf "monitoring.coreos.com/v1/%s" $kind))) -}}
true
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.builtinServices: the built-in services this release runs, as a JSON list of
component names (the ones builtin.yaml renders: none with Lenses stream processing).
*/}}
{{- define "realtime-platform.v1.builtinServices" -}}
{{- $services := list -}}
{{- if not (include "realtime-platform.v1.lenses" .) -}}
{{- if .Values.platform.iot -}}
{{- $services = append $services "mqtt-bridge" -}}
{{- end -}}
{{- $services = append $services "stream-processor" -}}
{{- end -}}
{{- toJson $services -}}
{{- end -}}
