{{/*
Named templates of the lenses-agent chart. Template names are global across a parent chart and its
subcharts, so every helper is named `lenses-agent.v1.<thing>`; `v1` is bumped if a helper's contract
changes, so a parent chart can rely on it.
*/}}

{{/*
lenses-agent.v1.name, lenses-agent.v1.fullname and lenses-agent.v1.componentName: the chart name (or
nameOverride), the prefix of every object name derived from the release (so two releases in one
namespace never collide) and "<fullname>-<suffix>" (call with (list $ "suffix")); the common
library chart's names, shortened to DNS labels.
*/}}
{{- define "lenses-agent.v1.name" -}}
{{- include "common.v1.names.name" . -}}
{{- end -}}
{{- define "lenses-agent.v1.fullname" -}}
{{- include "common.v1.names.fullname" . -}}
{{- end -}}
{{- define "lenses-agent.v1.componentName" -}}
{{- include "common.v1.names.componentName" . -}}
{{- end -}}

{{/*
lenses-agent.v1.selectorLabels: the immutable labels that select the agent pods.
*/}}
{{- define "lenses-agent.v1.selectorLabels" -}}
{{- include "common.v1.labels.selector" (dict "context" . "name" (include "lenses-agent.v1.name" .) "component" "agent") -}}
{{- end -}}

{{/*
lenses-agent.v1.labels: the labels of every object (selector labels, versions, commonLabels).
*/}}
{{- define "lenses-agent.v1.labels" -}}
{{- include "common.v1.labels.standard" (dict "context" . "name" (include "lenses-agent.v1.name" .) "component" "agent" "version" (.Values.image.tag | default .Chart.AppVersion) "partOf" "lenses" "commonLabels" .Values.commonLabels) -}}
{{- end -}}

{{/*
lenses-agent.v1.podLabels: the pod template's labels; without helm.sh/chart, so a chart version bump
alone restarts nothing.
*/}}
{{- define "lenses-agent.v1.podLabels" -}}
{{- include "common.v1.labels.pod" (dict "context" . "name" (include "lenses-agent.v1.name" .) "component" "agent" "version" (.Values.image.tag | default .Chart.AppVersion) "partOf" "lenses" "commonLabels" .Values.commonLabels "podLabels" .Values.podLabels) -}}
{{- end -}}

{{/*
lenses-agent.v1.image: the image reference; the digest wins over the tag.
*/}}
{{- define "lenses-agent.v1.image" -}}
{{- include "common.v1.images.image" .Values.image -}}
{{- end -}}

{{/*
lenses-agent.v1.serviceAccountName: the ServiceAccount the agent runs as.
*/}}
{{- define "lenses-agent.v1.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lenses-agent.v1.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.jobImage: the agent-key Job's image reference; the digest wins over the tag.
*/}}
{{- define "lenses-agent.v1.jobImage" -}}
{{- include "common.v1.images.image" .Values.agentKey.job.image -}}
{{- end -}}

{{/* ---------------------------------------------------------------- HQ and the agent key */}}

{{/*
lenses-agent.v1.hqUrl: base URL of HQ's HTTP API, for the agent-key Job.
*/}}
{{- define "lenses-agent.v1.hqUrl" -}}
{{- printf "%s://%s:%d" .Values.hq.httpScheme .Values.hq.host (int .Values.hq.httpPort) -}}
{{- end -}}

{{/*
lenses-agent.v1.environmentName: the HQ environment this agent serves: environment.name or the
release-derived name (already lowercase letters, digits and hyphens, at most 63).
*/}}
{{- define "lenses-agent.v1.environmentName" -}}
{{- .Values.environment.name | default (include "lenses-agent.v1.fullname" .) -}}
{{- end -}}

{{/*
lenses-agent.v1.runAgentKeyJob: "true" when the chart obtains the agent key itself (no
agentKey.existingSecret), else "".
*/}}
{{- define "lenses-agent.v1.runAgentKeyJob" -}}
{{- if not .Values.agentKey.existingSecret -}}true{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.agentKeySecretName: the Secret the agent reads LENSESHQ_AGENT_KEY from:
agentKey.existingSecret, or "<fullname>-agent-key" which the chart renders empty and the
agent-key Job fills.
*/}}
{{- define "lenses-agent.v1.agentKeySecretName" -}}
{{- if .Values.agentKey.existingSecret -}}
{{- .Values.agentKey.existingSecret -}}
{{- else -}}
{{- include "lenses-agent.v1.componentName" (list . "agent-key") -}}
{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.agentKeyJobName: the agent-key Job's name. It carries the release revision: a
Job's pod template is immutable, so every install or upgrade creates a new Job (which finds the
key already stored and exits) and Helm deletes the previous one.
*/}}
{{- define "lenses-agent.v1.agentKeyJobName" -}}
{{- include "lenses-agent.v1.componentName" (list . (printf "agent-key-%d" (int .Release.Revision))) -}}
{{- end -}}

{{/*
lenses-agent.v1.agentKeyJobSelectorLabels: labels that identify the agent-key Job's pods
(component agent-key, so they never match the agent Deployment's selector).
*/}}
{{- define "lenses-agent.v1.agentKeyJobSelectorLabels" -}}
{{- include "common.v1.labels.selector" (dict "context" . "name" (include "lenses-agent.v1.name" .) "component" "agent-key") -}}
{{- end -}}

{{/*
lenses-agent.v1.agentKeyJobLabels: labels of the agent-key Job's objects.
*/}}
{{- define "lenses-agent.v1.agentKeyJobLabels" -}}
{{- include "common.v1.labels.standard" (dict "context" . "name" (include "lenses-agent.v1.name" .) "component" "agent-key" "partOf" "lenses" "commonLabels" .Values.commonLabels) -}}
{{- end -}}

{{/* ---------------------------------------------------------------- PostgreSQL */}}

{{/*
lenses-agent.v1.postgresqlHost: postgresql.host, or "<release>-postgresql".
*/}}
{{- define "lenses-agent.v1.postgresqlHost" -}}
{{- .Values.postgresql.host | default (printf "%s-postgresql" .Release.Name) -}}
{{- end -}}

{{/*
lenses-agent.v1.createPostgresqlSecret: "true" when the chart renders the database password
Secret (no postgresql.existingSecret), else "".
*/}}
{{- define "lenses-agent.v1.createPostgresqlSecret" -}}
{{- if not .Values.postgresql.existingSecret -}}true{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.postgresqlSecretName: postgresql.existingSecret or "<fullname>-postgresql".
*/}}
{{- define "lenses-agent.v1.postgresqlSecretName" -}}
{{- if .Values.postgresql.existingSecret -}}
{{- .Values.postgresql.existingSecret -}}
{{- else -}}
{{- include "lenses-agent.v1.componentName" (list . "postgresql") -}}
{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.clusterReachable: "true" when this render can read the cluster, else "": a list in the
release namespace answers with a list (maybe empty) whenever lookup reaches a cluster, and with
nothing in a render without one (helm template, helm install --dry-run=client, Argo CD).
*/}}
{{- define "lenses-agent.v1.clusterReachable" -}}
{{- if lookup "v1" "ServiceAccount" .Release.Namespace "" -}}true{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.guardRenderWithoutCluster: fails a render that cannot read the cluster unless
credentials.renderWithoutCluster is "generate": it cannot find the database password an earlier install
generated and would generate new ones, which an upgrade would apply over the running ones.
*/}}
{{- define "lenses-agent.v1.guardRenderWithoutCluster" -}}
{{- if and (ne ((.Values.credentials | default dict).renderWithoutCluster | default "fail") "generate") (not (include "lenses-agent.v1.clusterReachable" .)) -}}
{{- fail "\n\nlenses-agent: credentials.renderWithoutCluster: this render cannot read the cluster (helm template, helm install --dry-run=client, Argo CD: lookup answers nothing), so it would generate the database password anew; applied over a running release (an upgrade) they replace the ones in use. Render with cluster access (helm install/upgrade, helm template --dry-run=server, a Flux HelmRelease), or set credentials.renderWithoutCluster=generate for a first install or a preview that is never applied over an existing release.\n" -}}
{{- end -}}
{{- end -}}

{{/*
lenses-agent.v1.postgresqlPassword: the chart-generated database password, computed once per
render and kept across upgrades through lookup of the Secret already in the cluster.
*/}}
{{- define "lenses-agent.v1.postgresqlPassword" -}}
{{- if not (hasKey .Values "__lensesAgentPostgresqlPassword") -}}
{{- include "lenses-agent.v1.guardRenderWithoutCluster" . -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "lenses-agent.v1.postgresqlSecretName" .) | default dict -}}
{{- $stored := get (get $existing "data" | default dict) .Values.postgresql.secretKeys.passwordKey | b64dec -}}
{{- $_ := set .Values "__lensesAgentPostgresqlPassword" ($stored | default (randAlphaNum 32)) -}}
{{- end -}}
{{- get .Values "__lensesAgentPostgresqlPassword" -}}
{{- end -}}

{{/* ---------------------------------------------------------------- provisioning.yaml */}}

{{/*
lenses-agent.v1.connection: one provisioning.yaml connection in the Lenses 6 format
{name, version: 1, tags, configuration: {key: {value: ...}}}. Call with
(list "name" tags (dict "key" value ...)).
*/}}
{{- define "lenses-agent.v1.connection" -}}
{{- $configuration := dict -}}
{{- range $key, $value := index . 2 -}}
{{- $_ := set $configuration $key (dict "value" $value) -}}
{{- end -}}
{{- dict "name" (index . 0) "version" 1 "tags" (index . 1 | default list) "configuration" $configuration | toJson -}}
{{- end -}}

{{/*
lenses-agent.v1.provisioningYaml: the agent's provisioning.yaml. The agent key is not in it: the
agent substitutes ${LENSESHQ_AGENT_KEY} from its environment, which comes from the agent-key
Secret. Connection names follow the Lenses JSON schema for provisioning (lenses-hq, kafka and
schema-registry are the only names allowed for those kinds).
Format: https://docs.lenses.io/latest/deployment/configuration/agent/automation
*/}}
{{- define "lenses-agent.v1.provisioningYaml" -}}
{{- $hq := dict "server" .Values.hq.host "port" (int .Values.hq.agentsPort) "agentKey" "${LENSESHQ_AGENT_KEY}" "sslEnabled" .Values.hq.sslEnabled -}}
{{- $protocol := .Values.kafka.protocol -}}
{{- $bootstrap := list -}}
{{- range .Values.kafka.bootstrapServers -}}
{{- $bootstrap = append $bootstrap (printf "%s://%s" $protocol .) -}}
{{- end -}}
{{- $kafka := dict "kafkaBootstrapServers" $bootstrap "protocol" $protocol -}}
{{- $provisioning := dict
  "lensesHq" (list (include "lenses-agent.v1.connection" (list "lenses-hq" .Values.provisioning.hqTags $hq) | fromJson))
  "kafka" (list (include "lenses-agent.v1.connection" (list "kafka" .Values.kafka.tags $kafka) | fromJson))
-}}
{{- with .Values.schemaRegistry.urls -}}
{{- $_ := set $provisioning "confluentSchemaRegistry" (list (include "lenses-agent.v1.connection" (list "schema-registry" $.Values.schemaRegistry.tags (dict "schemaRegistryUrls" .)) | fromJson)) -}}
{{- end -}}
{{- with .Values.connect.urls -}}
{{- $_ := set $provisioning "connect" (list (include "lenses-agent.v1.connection" (list $.Values.connect.name $.Values.connect.tags (dict "workers" .)) | fromJson)) -}}
{{- end -}}
{{- toYaml $provisioning -}}
{{- end -}}

{{/* ---------------------------------------------------------------- validation */}}

{{/*
lenses-agent.v1.validateValues: gathers every problem with the values into one `fail`.
values.schema.json already checks types and formats; this checks what a schema cannot say
clearly (the EULA, required endpoints) or at all (relations between values).
*/}}
{{- define "lenses-agent.v1.validateValues" -}}
{{- $problems := list -}}
{{- if not .Values.acceptEULA -}}
{{- $problems = append $problems "acceptEULA: the Lenses EULA (https://lenses.io/legals/eula) is not accepted. The Lenses Agent does not start without it: set acceptEULA=true to accept it." -}}
{{- end -}}
{{- if not .Values.hq.host -}}
{{- $problems = append $problems "hq.host: name HQ's Service, e.g. my-hq-lenses-hq.lenses.svc.cluster.local (the lenses-hq chart prints it)." -}}
{{- end -}}
{{- if not .Values.kafka.bootstrapServers -}}
{{- $problems = append $problems "kafka.bootstrapServers: give at least one Kafka broker as host:port, e.g. demo-kafka:9092." -}}
{{- end -}}
{{- if and (include "lenses-agent.v1.runAgentKeyJob" .) (not .Values.hq.auth.existingSecret) -}}
{{- $problems = append $problems "hq.auth.existingSecret: name the Secret with HQ credentials the agent-key Job logs in with (e.g. the lenses-hq chart's <release>-lenses-hq-admin), or set agentKey.existingSecret to a Secret that already holds the agent key." -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nlenses-agent: the values need changes:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
