{{/*
Named templates of the lenses-hq chart. Template names are global across a parent chart and its
subcharts, so every helper is named `lenses-hq.v1.<thing>`; `v1` is bumped if a helper's contract
changes, so a parent chart can rely on it.
*/}}

{{/*
lenses-hq.v1.name, lenses-hq.v1.fullname and lenses-hq.v1.componentName: the chart name (or
nameOverride), the prefix of every object name derived from the release (so two releases in one
namespace never collide) and "<fullname>-<suffix>" (call with (list $ "suffix")); the common
library chart's names, shortened to DNS labels.
*/}}
{{- define "lenses-hq.v1.name" -}}
{{- include "common.v1.names.name" . -}}
{{- end -}}
{{- define "lenses-hq.v1.fullname" -}}
{{- include "common.v1.names.fullname" . -}}
{{- end -}}
{{- define "lenses-hq.v1.componentName" -}}
{{- include "common.v1.names.componentName" . -}}
{{- end -}}

{{/*
lenses-hq.v1.selectorLabels: the immutable labels that select HQ's pods.
*/}}
{{- define "lenses-hq.v1.selectorLabels" -}}
{{- include "common.v1.labels.selector" (dict "context" . "name" (include "lenses-hq.v1.name" .) "component" "hq") -}}
{{- end -}}

{{/*
lenses-hq.v1.labels: the labels of every object (selector labels, versions, commonLabels).
*/}}
{{- define "lenses-hq.v1.labels" -}}
{{- include "common.v1.labels.standard" (dict "context" . "name" (include "lenses-hq.v1.name" .) "component" "hq" "version" (.Values.image.tag | default .Chart.AppVersion) "partOf" "lenses" "commonLabels" .Values.commonLabels) -}}
{{- end -}}

{{/*
lenses-hq.v1.podLabels: the pod template's labels; without helm.sh/chart, so a chart version bump
alone restarts nothing.
*/}}
{{- define "lenses-hq.v1.podLabels" -}}
{{- include "common.v1.labels.pod" (dict "context" . "name" (include "lenses-hq.v1.name" .) "component" "hq" "version" (.Values.image.tag | default .Chart.AppVersion) "partOf" "lenses" "commonLabels" .Values.commonLabels "podLabels" .Values.podLabels) -}}
{{- end -}}

{{/*
lenses-hq.v1.image: the image reference; the digest wins over the tag.
*/}}
{{- define "lenses-hq.v1.image" -}}
{{- include "common.v1.images.image" .Values.image -}}
{{- end -}}

{{/*
lenses-hq.v1.serviceAccountName: the ServiceAccount HQ runs as.
*/}}
{{- define "lenses-hq.v1.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lenses-hq.v1.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.httpHost: the in-cluster DNS name of HQ's Service (used by NOTES.txt and by a parent
chart to point the Lenses Agent at HQ).
*/}}
{{- define "lenses-hq.v1.httpHost" -}}
{{- printf "%s.%s.svc.cluster.local" (include "lenses-hq.v1.fullname" .) .Release.Namespace -}}
{{- end -}}

{{/* ---------------------------------------------------------------- administrator credentials */}}

{{/*
lenses-hq.v1.createAdminSecret: "true" when the chart renders the administrator Secret (no
auth.existingSecret), else "".
*/}}
{{- define "lenses-hq.v1.createAdminSecret" -}}
{{- if not .Values.auth.existingSecret -}}true{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.adminSecretName: the Secret that holds the administrator user name, password and
bcrypt hash: auth.existingSecret or "<fullname>-admin".
*/}}
{{- define "lenses-hq.v1.adminSecretName" -}}
{{- if .Values.auth.existingSecret -}}
{{- .Values.auth.existingSecret -}}
{{- else -}}
{{- include "lenses-hq.v1.componentName" (list . "admin") -}}
{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.clusterReachable: "true" when this render can read the cluster, else "": a list in the
release namespace answers with a list (maybe empty) whenever lookup reaches a cluster, and with
nothing in a render without one (helm template, helm install --dry-run=client, Argo CD).
*/}}
{{- define "lenses-hq.v1.clusterReachable" -}}
{{- if lookup "v1" "ServiceAccount" .Release.Namespace "" -}}true{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.guardRenderWithoutCluster: fails a render that cannot read the cluster unless
credentials.renderWithoutCluster is "generate": it cannot find the administrator and database passwords an earlier install
generated and would generate new ones, which an upgrade would apply over the running ones.
*/}}
{{- define "lenses-hq.v1.guardRenderWithoutCluster" -}}
{{- if and (ne ((.Values.credentials | default dict).renderWithoutCluster | default "fail") "generate") (not (include "lenses-hq.v1.clusterReachable" .)) -}}
{{- fail "\n\nlenses-hq: credentials.renderWithoutCluster: this render cannot read the cluster (helm template, helm install --dry-run=client, Argo CD: lookup answers nothing), so it would generate the administrator and database passwords anew; applied over a running release (an upgrade) they replace the ones in use. Render with cluster access (helm install/upgrade, helm template --dry-run=server, a Flux HelmRelease), or set credentials.renderWithoutCluster=generate for a first install or a preview that is never applied over an existing release.\n" -}}
{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.adminCredentials: JSON {username, password, passwordHash} of the chart-generated
administrator account. Computed once per render (Helm re-evaluates an include on every call, and
randAlphaNum/bcrypt are random) and kept across upgrades: the password comes from
auth.adminPassword, else from the Secret already in the cluster (lookup), else it is generated;
the bcrypt hash is reused from that Secret while the password is unchanged, so config.yaml and its
checksum only change when the password does.
*/}}
{{- define "lenses-hq.v1.adminCredentials" -}}
{{- if not (hasKey .Values "__lensesHqAdminCredentials") -}}
{{- include "lenses-hq.v1.guardRenderWithoutCluster" . -}}
{{- $keys := .Values.auth.secretKeys -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "lenses-hq.v1.adminSecretName" .) | default dict -}}
{{- $data := get $existing "data" | default dict -}}
{{- $storedPassword := get $data $keys.passwordKey | b64dec -}}
{{- $storedHash := get $data $keys.passwordHashKey | b64dec -}}
{{- $password := .Values.auth.adminPassword | default $storedPassword | default (randAlphaNum 32) -}}
{{- $hash := $storedHash -}}
{{- if or (not $storedHash) (ne $password $storedPassword) -}}
{{- $hash = bcrypt $password -}}
{{- end -}}
{{- $_ := set .Values "__lensesHqAdminCredentials" (dict "username" .Values.auth.adminUser "password" $password "passwordHash" $hash) -}}
{{- end -}}
{{- get .Values "__lensesHqAdminCredentials" | toJson -}}
{{- end -}}

{{/* ---------------------------------------------------------------- PostgreSQL */}}

{{/*
lenses-hq.v1.postgresqlHost: postgresql.host, or "<release>-postgresql".
*/}}
{{- define "lenses-hq.v1.postgresqlHost" -}}
{{- .Values.postgresql.host | default (printf "%s-postgresql" .Release.Name) -}}
{{- end -}}

{{/*
lenses-hq.v1.createPostgresqlSecret: "true" when the chart renders the database password Secret
(no postgresql.existingSecret), else "".
*/}}
{{- define "lenses-hq.v1.createPostgresqlSecret" -}}
{{- if not .Values.postgresql.existingSecret -}}true{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.postgresqlSecretName: postgresql.existingSecret or "<fullname>-postgresql".
*/}}
{{- define "lenses-hq.v1.postgresqlSecretName" -}}
{{- if .Values.postgresql.existingSecret -}}
{{- .Values.postgresql.existingSecret -}}
{{- else -}}
{{- include "lenses-hq.v1.componentName" (list . "postgresql") -}}
{{- end -}}
{{- end -}}

{{/*
lenses-hq.v1.postgresqlPassword: the chart-generated database password, computed once per render
and kept across upgrades through lookup of the Secret already in the cluster.
*/}}
{{- define "lenses-hq.v1.postgresqlPassword" -}}
{{- if not (hasKey .Values "__lensesHqPostgresqlPassword") -}}
{{- include "lenses-hq.v1.guardRenderWithoutCluster" . -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "lenses-hq.v1.postgresqlSecretName" .) | default dict -}}
{{- $stored := get (get $existing "data" | default dict) .Values.postgresql.secretKeys.passwordKey | b64dec -}}
{{- $_ := set .Values "__lensesHqPostgresqlPassword" ($stored | default (randAlphaNum 32)) -}}
{{- end -}}
{{- get .Values "__lensesHqPostgresqlPassword" -}}
{{- end -}}

{{/* ---------------------------------------------------------------- config.yaml */}}

{{/*
lenses-hq.v1.configYaml: HQ's config.yaml, built as data and serialised with toYaml so that no
value can break the YAML. Secrets are not written into it: HQ replaces `$(NAME)` with the
environment variable NAME when it loads the file (Lenses documents this for database.password; the
official chart uses it for the licence key too), and the Deployment fills those variables from
Secrets. The one exception is the bcrypt hash of the chart-generated administrator password,
which is why the file lives in a Secret.
Fields: https://docs.lenses.io/latest/deployment/configuration/hq/configuration-reference
*/}}
{{- define "lenses-hq.v1.configYaml" -}}
{{- $http := dict "address" (printf ":%d" (int .Values.http.port)) "secureSessionCookies" .Values.http.secureSessionCookies "accessControlAllowCredentials" .Values.http.accessControlAllowCredentials -}}
{{- with .Values.http.accessControlAllowOrigin -}}
{{- $_ := set $http "accessControlAllowOrigin" . -}}
{{- end -}}
{{- $database := dict "host" (printf "%s:%d" (include "lenses-hq.v1.postgresqlHost" .) (int .Values.postgresql.port)) "database" .Values.postgresql.database "username" .Values.postgresql.username "password" "$(LENSESHQ_PG_PASSWORD)" "TLS" .Values.postgresql.tls -}}
{{- with .Values.postgresql.schema -}}
{{- $_ := set $database "schema" . -}}
{{- end -}}
{{- with .Values.postgresql.params -}}
{{- $_ := set $database "params" . -}}
{{- end -}}
{{- $passwordHash := "$(LENSESHQ_ADMIN_PASSWORD_HASH)" -}}
{{- if include "lenses-hq.v1.createAdminSecret" . -}}
{{- $passwordHash = (include "lenses-hq.v1.adminCredentials" . | fromJson).passwordHash -}}
{{- end -}}
{{- $administrators := prepend .Values.auth.administrators .Values.auth.adminUser | uniq -}}
{{- $auth := dict "administrators" $administrators "users" (list (dict "username" .Values.auth.adminUser "password" $passwordHash)) "sessionDuration" .Values.auth.sessionDuration -}}
{{- $config := dict
  "http" $http
  "agents" (dict "address" (printf ":%d" (int .Values.agents.port)))
  "database" $database
  "license" (dict "key" "$(LENSESHQ_LICENSE)" "acceptEULA" .Values.license.acceptEULA)
  "auth" $auth
  "logger" (dict "mode" .Values.logger.mode "level" .Values.logger.level)
  "metrics" (dict "prometheusAddress" (printf ":%d" (int .Values.metrics.port)))
-}}
{{- toYaml $config -}}
{{- end -}}

{{/* ---------------------------------------------------------------- validation */}}

{{/*
lenses-hq.v1.validateValues: gathers every problem with the values into one `fail`, so a user
fixes them all in one round. values.schema.json already checks types and formats; this checks
what a schema cannot say clearly (the EULA) or at all (relations between values).
*/}}
{{- define "lenses-hq.v1.validateValues" -}}
{{- $problems := list -}}
{{- if not .Values.license.acceptEULA -}}
{{- $problems = append $problems "license.acceptEULA: the Lenses EULA (https://lenses.io/legals/eula) is not accepted. Lenses HQ does not start without it: set license.acceptEULA=true to accept it." -}}
{{- end -}}
{{- if not .Values.license.existingSecret -}}
{{- $problems = append $problems "license.existingSecret: name the Secret that holds the Lenses licence key, e.g. kubectl create secret generic lenses-license --from-literal=license=<key> and license.existingSecret=lenses-license (the key is never read from values)." -}}
{{- end -}}
{{- if and .Values.auth.existingSecret .Values.auth.adminPassword -}}
{{- $problems = append $problems "auth.adminPassword: leave it empty when auth.existingSecret is set; the password and its hash come from that Secret." -}}
{{- end -}}
{{- $ports := list (int .Values.http.port) (int .Values.agents.port) (int .Values.metrics.port) -}}
{{- if ne (len ($ports | uniq)) 3 -}}
{{- $problems = append $problems (printf "http.port, agents.port, metrics.port: they must differ (got %d, %d, %d)." (int .Values.http.port) (int .Values.agents.port) (int .Values.metrics.port)) -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nlenses-hq: the values need changes:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
