{{/*
common.v1.images.image: the reference of an image values block (registry, repository, tag,
digest): "[registry/]repository@digest" when a digest is given (it wins over the tag, so a pinned
image cannot move), else "[registry/]repository:tag". Call with the block, e.g. .Values.image.
*/}}
{{- define "common.v1.images.image" -}}
{{- $repository := .repository -}}
{{- if .registry -}}
{{- $repository = printf "%s/%s" .registry .repository -}}
{{- end -}}
{{- if .digest -}}
{{- printf "%s@%s" $repository .digest -}}
{{- else -}}
{{- printf "%s:%s" $repository .tag -}}
{{- end -}}
{{- end -}}
