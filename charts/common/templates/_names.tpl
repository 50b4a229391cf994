{{/*
Names shared by the realtime platform's charts. This is a library chart: its templates run in the
context of the chart that includes them, so `.Chart` is the caller's chart. Every helper is named
`common.v1.<area>.<thing>` (template names are global across a parent chart and its subcharts);
`v1` is bumped if a helper's contract changes.
*/}}

{{/*
common.v1.names.shorten: the given string when it fits a DNS label (63 characters), otherwise its
first 54 characters, a dash and 8 hex characters of its sha256, so that two long names that share
a prefix still differ.
*/}}
{{- define "common.v1.names.shorten" -}}
{{- if le (len .) 63 -}}
{{- . -}}
{{- else -}}
{{- printf "%s-%s" (trunc 54 . | trimSuffix "-") (sha256sum . | trunc 8) -}}
{{- end -}}
{{- end -}}

{{/*
common.v1.names.name: the chart name, or nameOverride. Call with the chart's root context.
*/}}
{{- define "common.v1.names.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
common.v1.names.fullname: the prefix of the objects of a chart named after its release (Lenses HQ
and Agent), so that two releases in one namespace never collide: fullnameOverride, else
"<release>-<name>" (just "<release>" when the release is named exactly like the chart), shortened
to a DNS label. Call with the chart's root context.
*/}}
{{- define "common.v1.names.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- include "common.v1.names.shorten" .Values.fullnameOverride -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if eq .Release.Name $name -}}
{{- include "common.v1.names.shorten" .Release.Name -}}
{{- else -}}
{{- include "common.v1.names.shorten" (printf "%s-%s" .Release.Name $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
common.v1.names.componentName: "<fullname>-<suffix>", shortened to a DNS label.
Call with (list $ "suffix").
*/}}
{{- define "common.v1.names.componentName" -}}
{{- $root := index . 0 -}}
{{- include "common.v1.names.shorten" (printf "%s-%s" (include "common.v1.names.fullname" $root) (index . 1)) -}}
{{- end -}}

{{/*
common.v1.names.platformObject: "{name}-<suffix>", the name of an object of the platform contract
(named after the platform, never after the release: applications find its Services and Secrets by
that name). Call with (list "platform name" "suffix").
*/}}
{{- define "common.v1.names.platformObject" -}}
{{- printf "%s-%s" (index . 0) (index . 1) -}}
{{- end -}}

{{/*
common.v1.names.serviceHost: the fully qualified host of a Service,
"<service>.<namespace>.svc.<clusterDomain>", so it resolves from any namespace.
Call with (list "service" "namespace" "clusterDomain").
*/}}
{{- define "common.v1.names.serviceHost" -}}
{{- printf "%s.%s.svc.%s" (index . 0) (index . 1) (index . 2) -}}
{{- end -}}

{{/*
common.v1.names.chart: "<chart>-<version>" for the helm.sh/chart label. Call with the chart's root
context.
*/}}
{{- define "common.v1.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}
