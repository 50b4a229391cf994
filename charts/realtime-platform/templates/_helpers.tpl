{{/*
Named templates of the realtime-platform chart, named `realtime-platform.v1.<thing>` (template names
are global across a chart and its subcharts). Objects are named after the platform
(`platform.name`), never after the release: applications find the Services and the five Secrets by
that name, and the names, keys, ports, topics and ACLs are those of
@realtime-platform/platform-contract, read from files/contract.json (generated from it); the
templates only combine them with the values and render (the chart's tests import the contract and
compare the result).
*/}}

{{/* ---------------------------------------------------------------- names and hosts */}}

{{/*
realtime-platform.v1.name: the platform name.
*/}}
{{- define "realtime-platform.v1.name" -}}
{{- required "platform.name is required: the name of the platform, e.g. --set platform.name=health-data" .Values.platform.name -}}
{{- end -}}

{{/*
realtime-platform.v1.objectName: "{name}-<suffix>". Call with (list $ "suffix").
*/}}
{{- define "realtime-platform.v1.objectName" -}}
{{- include "common.v1.names.platformObject" (list (include "realtime-platform.v1.name" (index . 0)) (index . 1)) -}}
{{- end -}}

{{/*
realtime-platform.v1.host: the fully qualified host of the Service "{name}-<suffix>",
"<service>.<namespace>.svc.<clusterDomain>", so it resolves from any namespace.
Call with (list $ "suffix").
*/}}
{{- define "realtime-platform.v1.host" -}}
{{- $root := index . 0 -}}
{{- include "common.v1.names.serviceHost" (list (include "realtime-platform.v1.objectName" .) $root.Release.Namespace $root.Values.clusterDomain) -}}
{{- end -}}

{{/*
realtime-platform.v1.contract: files/contract.json, the platform contract's values this chart uses
(Service ports, the five Secrets, the MQTT roles, the Kafka principals, the database engines),
generated from @realtime-platform/platform-contract by charts/scripts/generate-contract-files.js.
Returns the JSON text: use with `fromJson`.
*/}}
{{- define "realtime-platform.v1.contract" -}}
{{- .Files.Get "files/contract.json" -}}
{{- end -}}

{{/*
realtime-platform.v1.loginKeys: the names of the login keys of one of the contract's Secrets, as
JSON {username, password} (secrets[].login in files/contract.json: DB_USER and DB_PASSWORD for
"db", KAFKA_USERNAME and KAFKA_PASSWORD for "kafka"...), so no template types a key name: they
read stored logins, fill credentials.existingSecret's and point secretKeyRefs at them. The
platform's Secrets that repeat a contract Secret's keys with another login ({name}-db-reader-secret,
the Kafka principals' {name}-kafka-<principal>-secret) use the same names.
Call with (list $ "secret id").
*/}}
{{- define "realtime-platform.v1.loginKeys" -}}
{{- $id := index . 1 -}}
{{- $login := dict -}}
{{- range (include "realtime-platform.v1.contract" (index . 0) | fromJson).secrets -}}
{{- if eq .id $id -}}{{- $login = .login | default dict -}}{{- end -}}
{{- end -}}
{{- if not (and $login.username $login.password) -}}
{{- fail (printf "realtime-platform: the contract's Secret %s has no login" $id) -}}
{{- end -}}
{{- toJson $login -}}
{{- end -}}

{{/*
realtime-platform.v1.databaseKeys: the names of the db secret's keys by what they hold, as JSON
{username, password, host, port, database, type}: the parts its connection key (DB_URL) is composed from
(secrets[].keys[].parts in files/contract.json). {name}-db-reader-secret has the same keys.
*/}}
{{- define "realtime-platform.v1.databaseKeys" -}}
{{- $parts := dict -}}
{{- range (include "realtime-platform.v1.contract" . | fromJson).secrets -}}
{{- if eq .id "db" -}}
{{- range .keys -}}{{- if .parts -}}{{- $parts = .parts -}}{{- end -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $parts.host -}}
{{- fail "realtime-platform: the contract's db Secret has no connection key" -}}
{{- end -}}
{{- toJson $parts -}}
{{- end -}}

{{/*
realtime-platform.v1.platformKeys: the key names of one of the platform's own Secrets by key id,
as JSON {id: key} (platformSecrets in files/contract.json, from platformSecretCatalog: for
"platform-credentials" {"metabaseDbPassword": "METABASE_DB_PASSWORD", ...}), so no template types
the name of a key it writes, reads back or points a secretKeyRef at. Call with (list $ "suffix").
*/}}
{{- define "realtime-platform.v1.platformKeys" -}}
{{- $suffix := index . 1 -}}
{{- $keys := get ((include "realtime-platform.v1.contract" (index . 0) | fromJson).platformSecrets | default dict) $suffix -}}
{{- if not $keys -}}
{{- fail (printf "realtime-platform: the contract has no platform Secret %s" $suffix) -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaSecurity: the security protocol and SASL mechanism of the brokers'
client listeners as JSON {protocol, saslMechanism}: what the kafka secret tells clients
(kafkaSecurity in files/contract.json), so brokers and clients cannot disagree.
*/}}
{{- define "realtime-platform.v1.kafkaSecurity" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).kafkaSecurity | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaSecurityEnv: env entries SECURITY_PROTOCOL and SASL_MECHANISM with the
contract's Kafka security (kafkaSecurity), for every container running a script that logs in to a
broker or gives it SCRAM credentials (ensure-topics.sh, ensure-acls.sh, ensure-scram-users.sh,
start-kafka-node.sh): the scripts require both and type neither.
*/}}
{{- define "realtime-platform.v1.kafkaSecurityEnv" -}}
{{- $security := include "realtime-platform.v1.kafkaSecurity" . | fromJson -}}
- name: SECURITY_PROTOCOL
  value: {{ $security.protocol | quote }}
- name: SASL_MECHANISM
  value: {{ $security.saslMechanism | quote }}
{{- end -}}

{{/*
realtime-platform.v1.ports: the contract's Service ports as JSON ({service suffix: {portName:
number}}). They are not configurable: every URL in the five Secrets is right by construction.
*/}}
{{- define "realtime-platform.v1.ports" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).ports | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.databaseComponent: the component label of the applications' database server
(its StatefulSet, Service and the Secrets that point at it): postgresql, mysql or mongodb.
*/}}
{{- define "realtime-platform.v1.databaseComponent" -}}
{{- if eq .Values.platform.database "postgres" }}postgresql{{ else }}{{ .Values.platform.database }}{{ end -}}
{{- end -}}

{{/*
realtime-platform.v1.applicationDatabase: the applications' database name (the contract's
applicationDatabaseName), DB_NAME of {name}-db-secret.
*/}}
{{- define "realtime-platform.v1.applicationDatabase" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).applicationDatabase -}}
{{- end -}}

{{/*
realtime-platform.v1.conditionHolds: "true" when the claim option of a contract condition
({field, equals}, as the contract's SpecCondition) has that value, else "". Call with
(list $ condition).
*/}}
{{- define "realtime-platform.v1.conditionHolds" -}}
{{- $root := index . 0 -}}
{{- $condition := index . 1 -}}
{{- if eq (toString (get $root.Values.platform $condition.field)) (toString $condition.equals) -}}true{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.port: one contract port. Call with (list $ "service" "portName").
*/}}
{{- define "realtime-platform.v1.port" -}}
{{- $ports := include "realtime-platform.v1.ports" (index . 0) | fromJson -}}
{{- get (get $ports (index . 1)) (index . 2) | int -}}
{{- end -}}

{{/*
realtime-platform.v1.serviceUrl: the URL of a Service's port as the contract's Secrets give it
(the endpoint key of format url that points at it: its scheme and path, e.g. KAFKA_CONNECT_URL,
MQTT_WS_URL), so NOTES.txt types no scheme or path. Call with (list $ "service" "port name").
*/}}
{{- define "realtime-platform.v1.serviceUrl" -}}
{{- $root := index . 0 -}}
{{- $service := index . 1 -}}
{{- $portName := index . 2 -}}
{{- $url := "" -}}
{{- range (include "realtime-platform.v1.contract" $root | fromJson).secrets -}}
{{- range $key := .keys -}}
{{- if and (not $url) (eq ($key.format | default "") "url") -}}
{{- range $key.services -}}
{{- if and (eq .service $service) (eq .port $portName) -}}
{{- $url = printf "%s://%s:%s%s" $key.scheme (include "realtime-platform.v1.host" (list $root $service)) (include "realtime-platform.v1.port" (list $root $service $portName)) ($key.path | default "") -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- required (printf "realtime-platform: no Secret of the contract has a URL of %s's port %s" $service $portName) $url -}}
{{- end -}}

{{/*
realtime-platform.v1.dashboard: the dashboard that runs, "metabase" or "grafana".
*/}}
{{- define "realtime-platform.v1.dashboard" -}}
{{- .Values.platform.visualization -}}
{{- end -}}

{{/*
realtime-platform.v1.lenses: "true" when the platform runs Lenses, else "".
*/}}
{{- define "realtime-platform.v1.lenses" -}}
{{- if eq .Values.platform.streamProcessing "lenses" -}}true{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- Kafka brokers */}}

{{/*
realtime-platform.v1.kafkaCluster: "true" when the platform runs three Kafka brokers
(platform.kafkaBrokers: 3: Apache Kafka brokers and KRaft controllers of their own, fast-data-dev
for the Schema Registry and Connect only), else "".
*/}}
{{- define "realtime-platform.v1.kafkaCluster" -}}
{{- $brokers := (include "realtime-platform.v1.contract" . | fromJson).kafkaCluster.brokers | int -}}
{{- if eq (int (.Values.platform.kafkaBrokers | default 1)) $brokers -}}true{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaBrokerCount: the number of brokers (the contract's kafkaBrokerCounts).
*/}}
{{- define "realtime-platform.v1.kafkaBrokerCount" -}}
{{- $brokers := (include "realtime-platform.v1.contract" . | fromJson).kafkaCluster.brokers | int -}}
{{- ternary $brokers 1 (eq (include "realtime-platform.v1.kafkaCluster" .) "true") -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaReplicationFactor: the replication factor of every topic the platform
creates: kafka.replicationFactor, or the number of brokers when it is 0 (the contract's
kafkaTopicReplicationFactor).
*/}}
{{- define "realtime-platform.v1.kafkaReplicationFactor" -}}
{{- $configured := int (.Values.kafka.replicationFactor | default 0) -}}
{{- ternary (int (include "realtime-platform.v1.kafkaBrokerCount" .)) $configured (eq $configured 0) -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaReplicationSettings: the brokers' durability settings for three brokers
(kafkaCluster.replication in files/contract.json: the contract's kafkaReplicationSettings(3)), as
JSON.
*/}}
{{- define "realtime-platform.v1.kafkaReplicationSettings" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).kafkaCluster.replication | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaClusterPorts: the ports between the Kafka pods (kafkaCluster.ports in
files/contract.json: the contract's kafkaClusterPorts), as JSON.
*/}}
{{- define "realtime-platform.v1.kafkaClusterPorts" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).kafkaCluster.ports | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaClusterNames: the three-broker Kafka's component names (kafkaCluster.names
in files/contract.json): `broker` (the brokers' StatefulSet, pods {name}-<broker>-<i>),
`brokerHeadless` (their headless Service) and `controller` (the controllers' StatefulSet and
headless Service), as JSON.
*/}}
{{- define "realtime-platform.v1.kafkaClusterNames" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).kafkaCluster.names | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaPodHost: the fully qualified host of one pod of a StatefulSet behind its
headless Service. Call with (list $ "<statefulset suffix>" "<headless service suffix>" ordinal).
*/}}
{{- define "realtime-platform.v1.kafkaPodHost" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%d.%s" (include "realtime-platform.v1.objectName" (list $root (index . 1))) (int (index . 3)) (include "realtime-platform.v1.host" (list $root (index . 2))) -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaBootstrapServers: KAFKA_BOOTSTRAP_SERVERS: the Kafka Service with one
broker; every broker pod (the contract's kafkaBrokerPodHosts) with three, so a client bootstraps
with any of them down.
*/}}
{{- define "realtime-platform.v1.kafkaBootstrapServers" -}}
{{- $port := include "realtime-platform.v1.port" (list . "kafka" "kafka") -}}
{{- if include "realtime-platform.v1.kafkaCluster" . -}}
{{- $names := include "realtime-platform.v1.kafkaClusterNames" . | fromJson -}}
{{- $servers := list -}}
{{- range $ordinal := until (include "realtime-platform.v1.kafkaBrokerCount" $ | int) -}}
{{- $servers = append $servers (printf "%s:%s" (include "realtime-platform.v1.kafkaPodHost" (list $ $names.broker $names.brokerHeadless $ordinal)) $port) -}}
{{- end -}}
{{- join "," $servers -}}
{{- else -}}
{{- printf "%s:%s" (include "realtime-platform.v1.host" (list . "kafka")) $port -}}
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaControllerVoters: controller.quorum.voters of the three controllers
(the contract's kafkaControllerCount; node ids from its kafkaControllerNodeIdBase).
*/}}
{{- define "realtime-platform.v1.kafkaControllerVoters" -}}
{{- $cluster := (include "realtime-platform.v1.contract" . | fromJson).kafkaCluster -}}
{{- $port := (include "realtime-platform.v1.kafkaClusterPorts" . | fromJson).controller | int -}}
{{- $voters := list -}}
{{- range $ordinal := until ($cluster.controllers | int) -}}
{{- $voters = append $voters (printf "%d@%s:%d" (add ($cluster.controllerNodeIdBase | int) $ordinal) (include "realtime-platform.v1.kafkaPodHost" (list $ $cluster.names.controller $cluster.names.controller $ordinal)) $port) -}}
{{- end -}}
{{- join "," $voters -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaClusterId: the KRaft cluster id of the three-broker Kafka, the same on
every node and every render: 16 bytes derived from the namespace and platform name, in Kafka's
base64url form (22 characters; a hex digest never starts the id with "-").
*/}}
{{- define "realtime-platform.v1.kafkaClusterId" -}}
{{- printf "%s/%s" .Release.Namespace (include "realtime-platform.v1.name" .) | sha256sum | trunc 16 | b64enc | trimSuffix "==" | replace "+" "-" | replace "/" "_" -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaServicesComponent: the component of the fast-data-dev pod: "kafka" (the
broker, Schema Registry and Connect) with one broker, "kafka-services" (Schema Registry and
Connect only) with three.
*/}}
{{- define "realtime-platform.v1.kafkaServicesComponent" -}}
{{- ternary "kafka-services" "kafka" (eq (include "realtime-platform.v1.kafkaCluster" .) "true") -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaNodeAffinity: the affinity of the brokers or controllers: kafka.affinity,
or by default preferably one pod of the component per node (a node failure or drain then takes
one broker and one controller at most). Call with (list $ "component").
*/}}
{{- define "realtime-platform.v1.kafkaNodeAffinity" -}}
{{- $root := index . 0 -}}
{{- if $root.Values.kafka.affinity -}}
{{- toYaml $root.Values.kafka.affinity -}}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "realtime-platform.v1.selectorLabels" . | nindent 12 }}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- labels, images, pods */}}

{{/*
realtime-platform.v1.selectorLabels: the immutable labels selecting one component's pods.
Call with (list $ "component").
*/}}
{{- define "realtime-platform.v1.selectorLabels" -}}
{{- $root := index . 0 -}}
{{- include "common.v1.labels.selector" (dict "context" $root "name" "realtime-platform" "component" (index . 1) "platform" (include "realtime-platform.v1.name" $root)) -}}
{{- end -}}

{{/*
realtime-platform.v1.labels: the labels of every object of a component. Call with (list $ "component").
*/}}
{{- define "realtime-platform.v1.labels" -}}
{{- $root := index . 0 -}}
{{- include "common.v1.labels.standard" (dict "context" $root "name" "realtime-platform" "component" (index . 1) "platform" (include "realtime-platform.v1.name" $root) "version" $root.Chart.AppVersion "partOf" "realtime-platform" "commonLabels" $root.Values.commonLabels) -}}
{{- end -}}

{{/*
realtime-platform.v1.podLabels: a pod template's labels (no helm.sh/chart and no version, so a
chart version bump alone restarts nothing). Call with (list $ "component").
*/}}
{{- define "realtime-platform.v1.podLabels" -}}
{{- $root := index . 0 -}}
{{- include "common.v1.labels.pod" (dict "context" $root "name" "realtime-platform" "component" (index . 1) "platform" (include "realtime-platform.v1.name" $root) "partOf" "realtime-platform" "commonLabels" $root.Values.commonLabels) -}}
{{- end -}}

{{/*
realtime-platform.v1.image: an image reference from an image values block; the digest wins.
*/}}
{{- define "realtime-platform.v1.image" -}}
{{- include "common.v1.images.image" . -}}
{{- end -}}

{{/*
realtime-platform.v1.serviceAccountName: the ServiceAccount of the platform's pods.
*/}}
{{- define "realtime-platform.v1.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "realtime-platform.v1.objectName" (list . "platform") -}}
{{- else -}}
default
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.podSpecCommon: the pod-level settings every workload of the chart shares.
Call with (list $ uid): the pod runs as that user and group, volumes belong to that group.
*/}}
{{- define "realtime-platform.v1.podSpecCommon" -}}
{{- $root := index . 0 -}}
{{- $uid := index . 1 -}}
serviceAccountName: {{ include "realtime-platform.v1.serviceAccountName" $root }}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
securityContext:
  {{- include "common.v1.securityContext.pod" (dict "values" $root.Values.podSecurityContext "uid" $uid) | nindent 2 }}
{{- end -}}

{{/*
realtime-platform.v1.containerSecurityContext: the hardened container security context.
*/}}
{{- define "realtime-platform.v1.containerSecurityContext" -}}
{{- include "common.v1.securityContext.container" .Values.containerSecurityContext -}}
{{- end -}}

{{/*
realtime-platform.v1.secretNames: the five contract Secrets in the contract's envFrom order.
*/}}
{{- define "realtime-platform.v1.secretNames" -}}
{{- $root := . -}}
{{- $names := list -}}
{{- range (include "realtime-platform.v1.contract" . | fromJson).secrets -}}
{{- $names = append $names (include "realtime-platform.v1.objectName" (list $root .suffix)) -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/*
realtime-platform.v1.secretEnvFrom: the envFrom list injecting the five Secrets. They always exist
(a turned-off feature leaves only its *_ENABLED flag), so none is optional, and their keys never
repeat, so no later source can overwrite an earlier one. Nothing may follow them.
*/}}
{{- define "realtime-platform.v1.secretEnvFrom" -}}
{{- range include "realtime-platform.v1.secretNames" . | fromJsonArray }}
- secretRef:
    name: {{ . }}
{{- end }}
{{- end -}}

{{/*
realtime-platform.v1.serviceSecretEnvFrom: the envFrom of a platform service that runs as its own
Kafka principal: the given Secret names (the contract's five, in its order; the caller may have put
a role's own MQTT Secret in the mqtt slot), with {name}-kafka-secret (the applications' principal)
replaced by that principal's Secret, which has the same keys.
Call with (list $ "principal id" (list of Secret names)).
*/}}
{{- define "realtime-platform.v1.serviceSecretEnvFrom" -}}
{{- $root := index . 0 -}}
{{- $appSecret := include "realtime-platform.v1.objectName" (list $root "kafka-secret") -}}
{{- $own := include "realtime-platform.v1.objectName" (list $root (printf "kafka-%s-secret" (index . 1))) -}}
{{- range index . 2 }}
- secretRef:
    name: {{ eq . $appSecret | ternary $own . }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- credentials */}}

{{/*
realtime-platform.v1.newPassword: a random 32-character password: 28 letters or digits and 4
digits, so that password rules which want a digit (Metabase's) always pass.
*/}}
{{- define "realtime-platform.v1.newPassword" -}}
{{- printf "%s%s" (randAlphaNum 28) (randNumeric 4) -}}
{{- end -}}

{{/*
realtime-platform.v1.secretData: the `data` of a Secret in the cluster (lookup), or {}.
Call with (list $ "secret-name").
*/}}
{{- define "realtime-platform.v1.secretData" -}}
{{- $root := index . 0 -}}
{{- (lookup "v1" "Secret" $root.Release.Namespace (index . 1) | default dict).data | default dict | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.decoded: the decoded value of `key` in Secret data, or "".
Call with (list $data "KEY").
*/}}
{{- define "realtime-platform.v1.decoded" -}}
{{- get (index . 0 | default dict) (index . 1) | default "" | b64dec -}}
{{- end -}}

{{/*
realtime-platform.v1.clusterReachable: "true" when this render can read the cluster, else "". A
list in the release namespace answers with a list (maybe empty; even before the namespace exists)
whenever lookup reaches a cluster, and with nothing in a render without one (helm template,
helm install --dry-run=client, Argo CD). Listing ServiceAccounts needs no more rights than the
chart's own install (it creates one).
*/}}
{{- define "realtime-platform.v1.clusterReachable" -}}
{{- if lookup "v1" "ServiceAccount" .Release.Namespace "" -}}true{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.guardRenderWithoutCluster: fails a render that cannot read the cluster unless
credentials.renderWithoutCluster is "generate". Such a render cannot find the credentials an
earlier install generated, so it would generate new ones: applied as an upgrade, they replace the
passwords PostgreSQL, Metabase, Kafka and Mosquitto were set up with, and every service is locked
out. credentials.existingSecret is no way around it: it is read with lookup too.
*/}}
{{- define "realtime-platform.v1.guardRenderWithoutCluster" -}}
{{- if and (ne .Values.credentials.renderWithoutCluster "generate") (not (include "realtime-platform.v1.clusterReachable" .)) -}}
{{- fail "\n\nrealtime-platform: credentials.renderWithoutCluster: this render cannot read the cluster (helm template, helm install --dry-run=client, Argo CD: lookup answers nothing), so it would generate every credential anew; applied over a running platform (an upgrade) they replace the passwords its servers were set up with and lock every service out. Render with cluster access (helm install/upgrade, helm template --dry-run=server, a Flux HelmRelease, the realtime-platform addon), or set credentials.renderWithoutCluster=generate for a first install or a preview that is never applied over an existing platform.\n" -}}
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.credentials: JSON of every credential of the platform, computed once per
render (Helm re-evaluates an include on every call, and random functions differ each time) and
kept across upgrades. Each value comes from, in order: credentials.existingSecret, the Secret that
already holds it in the cluster (lookup; for a key that moved, the Secret of an older chart
version next), a new random value. Nothing is ever a fixed default. Applications get only the
first two lines' Secrets (the contract's five); the rest are the platform's own
(platformSecretCatalog).
  db {username, password}                   the applications' role ({name}-db-secret; in
                                            credentials.existingSecret: the db secret's login keys)
  dbReader {username, password}             the dashboards' read-only role ({name}-db-reader-secret;
                                            in credentials.existingSecret: DB_READER_USER and
                                            DB_READER_PASSWORD, names of this chart: the contract
                                            has no such Secret)
  kafkaPasswords {principal id: password}   each Kafka principal's ({name}-kafka-secret for app,
                                            which credentials.existingSecret may set with the
                                            kafka secret's password key)
  dashboardViewerUser, ...Password          a dashboard viewer, no admin ({name}-metabase-secret)
  dashboardAdminUser, ...Password            Metabase or Grafana admin ({name}-metabase-admin-secret)
  lensesAdminUser, ...Password, ...PasswordHash
                                            Lenses HQ admin ({name}-lenses-hq-admin, bcrypt for HQ;
                                            only with streamProcessing: lenses)
  postgresSuperuserPassword                 PostgreSQL superuser ({name}-db-admin-secret)
  mysqlRootPassword                         MySQL root@localhost ({name}-mysql-admin-secret)
  mongodbRootUsername, ...Password          MongoDB root ({name}-mongodb-admin-secret)
  metabaseDbPassword                        Metabase's role on metabaseappdb
  metabaseEncryptionKey                     Metabase's key for stored connection details
  grafanaSecretKey                          Grafana's key for stored data source passwords
  backupDbPassword                          the backup role's (backup.enabled; read-only, pg_read_all_data)
These names are this helper's own labels, never a Secret key: each Secret's keys come from the
contract (loginKeys, platformKeys). The only key names typed below are where older chart versions
kept a value (read on the upgrade from them; LENSES_ADMIN_PASSWORD is also this chart's own key for
it in credentials.existingSecret) and this chart's DB_READER_USER and DB_READER_PASSWORD.
*/}}
{{- define "realtime-platform.v1.credentials" -}}
{{- if not (hasKey .Values "__rtpCredentials") -}}
{{- include "realtime-platform.v1.guardRenderWithoutCluster" . -}}
{{- $given := dict -}}
{{- with .Values.credentials.existingSecret -}}
{{- $found := lookup "v1" "Secret" $.Release.Namespace . -}}
{{- if not $found -}}
{{- fail (printf "\n\nrealtime-platform: credentials.existingSecret: Secret %q was not found in namespace %q. It is read with lookup, which needs a cluster (helm install/upgrade, or helm template --dry-run=server). Create it first, or leave credentials.existingSecret empty to generate every credential.\n" . $.Release.Namespace) -}}
{{- end -}}
{{- $given = $found.data | default dict -}}
{{- end -}}
{{- $db := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "db-secret"))) | fromJson -}}
{{- $dashboard := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "metabase-secret"))) | fromJson -}}
{{- $dashboardAdmin := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "metabase-admin-secret"))) | fromJson -}}
{{- $lenses := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "lenses-secret"))) | fromJson -}}
{{- $internal := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "platform-credentials"))) | fromJson -}}
{{- $dbAdmin := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "db-admin-secret"))) | fromJson -}}
{{- $dbReader := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "db-reader-secret"))) | fromJson -}}
{{- $hqAdmin := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "lenses-hq-admin"))) | fromJson -}}
{{- $mysqlAdmin := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "mysql-admin-secret"))) | fromJson -}}
{{- $mongodbAdmin := include "realtime-platform.v1.secretData" (list . (include "realtime-platform.v1.objectName" (list . "mongodb-admin-secret"))) | fromJson -}}
{{- $credentials := dict -}}
{{- /* Kafka: one password per principal, kept in that principal's Secret under the kafka
secret's password key (the app principal's is {name}-kafka-secret, which
credentials.existingSecret may set with that key). */ -}}
{{- $kafkaPasswordKey := (include "realtime-platform.v1.loginKeys" (list . "kafka") | fromJson).password -}}
{{- $kafkaPasswords := dict -}}
{{- range $principal := include "realtime-platform.v1.kafkaPrincipals" . | fromJsonArray -}}
{{- $stored := include "realtime-platform.v1.secretData" (list $ (include "realtime-platform.v1.objectName" (list $ $principal.secretSuffix))) | fromJson -}}
{{- $value := include "realtime-platform.v1.decoded" (list $stored $kafkaPasswordKey) -}}
{{- if eq $principal.id "app" -}}
{{- $value = include "realtime-platform.v1.decoded" (list $given $kafkaPasswordKey) | default $value -}}
{{- end -}}
{{- $_ := set $kafkaPasswords $principal.id ($value | default (include "realtime-platform.v1.newPassword" $)) -}}
{{- end -}}
{{- $_ := set $credentials "kafkaPasswords" $kafkaPasswords -}}
{{- /* The database logins: {name}-db-secret's and {name}-db-reader-secret's keys are the db
secret's login keys; credentials.existingSecret sets the applications' with those keys too, the
read-only role's with this chart's DB_READER_USER and DB_READER_PASSWORD. */ -}}
{{- $dbKeys := include "realtime-platform.v1.loginKeys" (list . "db") | fromJson -}}
{{- range $login, $sources := dict
  "db" (list $dbKeys $db)
  "dbReader" (list (dict "username" "DB_READER_USER" "password" "DB_READER_PASSWORD") $dbReader)
-}}
{{- $givenKeys := index $sources 0 -}}
{{- $stored := index $sources 1 -}}
{{- $username := include "realtime-platform.v1.decoded" (list $given $givenKeys.username) | default (include "realtime-platform.v1.decoded" (list $stored $dbKeys.username)) -}}
{{- $password := include "realtime-platform.v1.decoded" (list $given $givenKeys.password) | default (include "realtime-platform.v1.decoded" (list $stored $dbKeys.password)) -}}
{{- $_ := set $credentials $login (dict "username" $username "password" $password) -}}
{{- end -}}
{{- /* Where each key is kept: [Secret data, key there], in order: first the Secret that holds
it now, under the contract's name (loginKeys, platformKeys), which is also its key in
credentials.existingSecret; then where older chart versions kept it, under the name they used (the
dashboard admin in {name}-metabase-secret, the superuser in {name}-platform-credentials and the
Lenses admin password in {name}-lenses-secret). */ -}}
{{- $viewerKeys := include "realtime-platform.v1.loginKeys" (list . "metabase") | fromJson -}}
{{- $adminKeys := include "realtime-platform.v1.platformKeys" (list . "metabase-admin-secret") | fromJson -}}
{{- $dbAdminKeys := include "realtime-platform.v1.platformKeys" (list . "db-admin-secret") | fromJson -}}
{{- $internalKeys := include "realtime-platform.v1.platformKeys" (list . "platform-credentials") | fromJson -}}
{{- $mysqlAdminKeys := include "realtime-platform.v1.platformKeys" (list . "mysql-admin-secret") | fromJson -}}
{{- $mongodbAdminKeys := include "realtime-platform.v1.platformKeys" (list . "mongodb-admin-secret") | fromJson -}}
{{- range $key, $sources := dict
  "dashboardViewerUser" (list (list $dashboard $viewerKeys.username))
  "dashboardViewerPassword" (list (list $dashboard $viewerKeys.password))
  "dashboardAdminUser" (list (list $dashboardAdmin $adminKeys.username) (list $dashboard "DASHBOARD_ADMIN_USER"))
  "dashboardAdminPassword" (list (list $dashboardAdmin $adminKeys.password) (list $dashboard "DASHBOARD_ADMIN_PASSWORD"))
  "lensesAdminPassword" (list (list $lenses "LENSES_ADMIN_PASSWORD"))
  "postgresSuperuserPassword" (list (list $dbAdmin $dbAdminKeys.superuserPassword) (list $internal "POSTGRES_PASSWORD"))
  "metabaseDbPassword" (list (list $internal $internalKeys.metabaseDbPassword))
  "metabaseEncryptionKey" (list (list $internal $internalKeys.metabaseEncryptionKey))
  "grafanaSecretKey" (list (list $internal $internalKeys.grafanaSecretKey))
  "mysqlRootPassword" (list (list $mysqlAdmin $mysqlAdminKeys.rootPassword))
  "mongodbRootUsername" (list (list $mongodbAdmin $mongodbAdminKeys.rootUsername))
  "mongodbRootPassword" (list (list $mongodbAdmin $mongodbAdminKeys.rootPassword))
  "backupDbPassword" (list (list $internal $internalKeys.backupDbPassword))
-}}
{{- $value := include "realtime-platform.v1.decoded" (list $given (index (index $sources 0) 1)) -}}
{{- range $sources -}}
{{- $value = $value | default (include "realtime-platform.v1.decoded" .) -}}
{{- end -}}
{{- $_ := set $credentials $key $value -}}
{{- end -}}
{{- $name := include "realtime-platform.v1.name" . -}}
{{- $_ := set $credentials.db "username" ($credentials.db.username | default (printf "app_%s" (randAlpha 8 | lower))) -}}
{{- $_ := set $credentials.db "password" ($credentials.db.password | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials "dashboardAdminUser" ($credentials.dashboardAdminUser | default (printf "admin-%s@%s.local" (randAlphaNum 6 | lower) $name)) -}}
{{- $_ := set $credentials "dashboardAdminPassword" ($credentials.dashboardAdminPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- /* The viewer: an e-mail address (Metabase logs in by e-mail; for Grafana it is the login). */ -}}
{{- $_ := set $credentials "dashboardViewerUser" ($credentials.dashboardViewerUser | default (printf "viewer-%s@%s.local" (randAlphaNum 6 | lower) $name)) -}}
{{- $_ := set $credentials "dashboardViewerPassword" ($credentials.dashboardViewerPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials.dbReader "username" ($credentials.dbReader.username | default (printf "reader_%s" (randAlpha 8 | lower))) -}}
{{- $_ := set $credentials.dbReader "password" ($credentials.dbReader.password | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials "postgresSuperuserPassword" ($credentials.postgresSuperuserPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials "metabaseDbPassword" ($credentials.metabaseDbPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials "metabaseEncryptionKey" ($credentials.metabaseEncryptionKey | default (randAlphaNum 64)) -}}
{{- $_ := set $credentials "grafanaSecretKey" ($credentials.grafanaSecretKey | default (randAlphaNum 64)) -}}
{{- $_ := set $credentials "mysqlRootPassword" ($credentials.mysqlRootPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials "mongodbRootUsername" ($credentials.mongodbRootUsername | default (printf "root_%s" (randAlpha 8 | lower))) -}}
{{- $_ := set $credentials "mongodbRootPassword" ($credentials.mongodbRootPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- $_ := set $credentials "backupDbPassword" ($credentials.backupDbPassword | default (include "realtime-platform.v1.newPassword" .)) -}}
{{- /* Lenses HQ (only with Lenses: bcrypt is slow): the user comes from the subchart's
auth.adminUser; the password also from the HQ admin Secret, whose bcrypt hash is kept while the
password is unchanged. */ -}}
{{- if include "realtime-platform.v1.lenses" . -}}
{{- $hqValues := index .Values "lenses-hq" | default dict -}}
{{- $hqKeys := include "realtime-platform.v1.platformKeys" (list . "lenses-hq-admin") | fromJson -}}
{{- $storedHqPassword := include "realtime-platform.v1.decoded" (list $hqAdmin $hqKeys.password) -}}
{{- $lensesPassword := $credentials.lensesAdminPassword | default $storedHqPassword | default (include "realtime-platform.v1.newPassword" .) -}}
{{- $storedHash := include "realtime-platform.v1.decoded" (list $hqAdmin $hqKeys.passwordHash) -}}
{{- $hash := $storedHash -}}
{{- if or (not $storedHash) (ne $lensesPassword $storedHqPassword) -}}
{{- $hash = bcrypt $lensesPassword -}}
{{- end -}}
{{- $_ := set $credentials "lensesAdminUser" ((($hqValues.auth | default dict).adminUser) | default "admin") -}}
{{- $_ := set $credentials "lensesAdminPassword" $lensesPassword -}}
{{- $_ := set $credentials "lensesAdminPasswordHash" $hash -}}
{{- end -}}
{{- $_ := set .Values "__rtpCredentials" $credentials -}}
{{- end -}}
{{- get .Values "__rtpCredentials" | toJson -}}
{{- end -}}

{{/* ---------------------------------------------------------------- the five Secrets */}}

{{/*
realtime-platform.v1.kafkaSecretData: {name}-kafka-secret (JSON): the applications' principal.
*/}}
{{- define "realtime-platform.v1.kafkaSecretData" -}}
{{- include "realtime-platform.v1.kafkaPrincipalSecretData" (list . "app") -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaPrincipalSecretData: the kafka-secret keys of one Kafka principal (JSON):
the same endpoints and settings, that principal's user name and password. Call with (list $ "id").
*/}}
{{- define "realtime-platform.v1.kafkaPrincipalSecretData" -}}
{{- $root := index . 0 -}}
{{- $id := index . 1 -}}
{{- $credentials := include "realtime-platform.v1.credentials" $root | fromJson -}}
{{- $principal := dict -}}
{{- range include "realtime-platform.v1.kafkaPrincipals" $root | fromJsonArray -}}
{{- if eq .id $id -}}{{- $principal = . -}}{{- end -}}
{{- end -}}
{{- $login := dict
  "username" (required (printf "unknown Kafka principal %s" $id) $principal.username)
  "password" (get $credentials.kafkaPasswords $id) -}}
{{- include "realtime-platform.v1.contractSecretData" (list $root "kafka" $login) -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaAuthFiles: the files of {name}-kafka-auth (JSON {file: content}), which
only the Kafka pod mounts: the JAAS file of the broker (SCRAM on the client listeners, PLAIN for
the INTERNAL and controller listeners: the provisioning principal only), of Connect's REST basic
auth and of the Schema Registry's; the REST user lists.
*/}}
{{- define "realtime-platform.v1.kafkaAuthFiles" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- $admin := get $credentials.kafkaPasswords "admin" -}}
{{- $adminUser := include "realtime-platform.v1.kafkaUsername" (list . "admin") -}}
{{- $scram := printf "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"%s\";" $adminUser $admin -}}
{{- $plain := printf "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"%s\" password=\"%s\" user_%s=\"%s\";" $adminUser $admin $adminUser $admin -}}
{{- $jaas := list
  (printf "client.KafkaServer {\n  %s\n};" $scram)
  (printf "external.KafkaServer {\n  %s\n};" $scram)
  (printf "internal.KafkaServer {\n  %s\n};" $plain)
  (printf "controller.KafkaServer {\n  %s\n};" $plain)
  "KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required file=\"/mnt/kafka-auth/connect-users.properties\";\n};"
  "SchemaRegistry {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required file=\"/mnt/kafka-auth/registry-users.properties\" debug=\"false\";\n};"
-}}
{{- if include "realtime-platform.v1.kafkaCluster" . -}}
{{- /* The three brokers' inter-broker listener: SCRAM, as the provisioning principal. */ -}}
{{- $jaas = append $jaas (printf "replication.KafkaServer {\n  %s\n};" $scram) -}}
{{- end -}}
{{- $registryUsers := list -}}
{{- range include "realtime-platform.v1.kafkaPrincipals" . | fromJsonArray -}}
{{- if ne .schemaRegistry "none" -}}
{{- $registryUsers = append $registryUsers (printf "%s: %s,%s" .username (get $credentials.kafkaPasswords .id) (.superUser | ternary "admin" "user")) -}}
{{- end -}}
{{- end -}}
{{- dict
  "kafka_jaas.conf" (printf "%s\n" (join "\n" $jaas))
  "connect-users.properties" (printf "%s: %s\n" $adminUser $admin)
  "registry-users.properties" (printf "%s\n" (join "\n" $registryUsers))
  "REGISTRY_USER_INFO" (printf "%s:%s" (include "realtime-platform.v1.kafkaUsername" (list . "connect")) (get $credentials.kafkaPasswords "connect"))
  | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.provisionerLogin: env entries with the provisioning principal's SASL login
(SASL_USERNAME, SASL_PASSWORD) from {name}-kafka-admin-secret, never as literal values.
*/}}
{{- define "realtime-platform.v1.provisionerLogin" -}}
{{- $keys := include "realtime-platform.v1.loginKeys" (list . "kafka") | fromJson -}}
- name: SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "realtime-platform.v1.objectName" (list . "kafka-admin-secret") }}
      key: {{ $keys.username }}
- name: SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "realtime-platform.v1.objectName" (list . "kafka-admin-secret") }}
      key: {{ $keys.password }}
{{- end -}}

{{/*
realtime-platform.v1.kafkaAclsFile: the platform contract's ACLs (planKafkaAccess, one per
operation, in its order), one "<principal> <permission> <operation> <type> <pattern> <name>" line
each (kafkaAclLine), for ensure-acls.sh: the lines of each principal this platform runs
(kafkaPrincipals[].acls in files/contract.json), those holding the declared-topic placeholder once
per declared topic (in claim order, each once; the default topics a declaration adds no ACL for,
kafkaAclDeclaredTopics.without, are left out).
*/}}
{{- define "realtime-platform.v1.kafkaAclsFile" -}}
{{- $declaredTopics := (include "realtime-platform.v1.contract" . | fromJson).kafkaAclDeclaredTopics -}}
{{- $declared := list -}}
{{- range .Values.platform.topics -}}
{{- if not (or (has .name $declaredTopics.without) (has .name $declared)) -}}
{{- $declared = append $declared .name -}}
{{- end -}}
{{- end -}}
{{- $lines := list -}}
{{- range $principal := include "realtime-platform.v1.kafkaPrincipals" . | fromJsonArray -}}
{{- range $line := $principal.acls -}}
{{- if contains $declaredTopics.placeholder $line -}}
{{- range $declared -}}
{{- $lines = append $lines (replace $declaredTopics.placeholder . $line) -}}
{{- end -}}
{{- else -}}
{{- $lines = append $lines $line -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaUsername: the SCRAM user name of a contract Kafka principal
(kafkaPrincipals in files/contract.json). Call with (list $ "id").
*/}}
{{- define "realtime-platform.v1.kafkaUsername" -}}
{{- $id := index . 1 -}}
{{- $username := "" -}}
{{- range (include "realtime-platform.v1.contract" (index . 0) | fromJson).kafkaPrincipals -}}
{{- if eq .id $id -}}{{- $username = .username -}}{{- end -}}
{{- end -}}
{{- required (printf "unknown Kafka principal %s" $id) $username -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaSuperUsers: the brokers' super.users (the contract's kafkaSuperUsers:
the provisioning principal, which bypasses every ACL).
*/}}
{{- define "realtime-platform.v1.kafkaSuperUsers" -}}
{{- (include "realtime-platform.v1.contract" . | fromJson).kafkaSuperUsers -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaPrincipals: the platform contract's Kafka principals this platform runs
(kafkaPrincipalCatalog in files/contract.json, filtered by their claim condition like
planKafkaAccess), as a JSON list of {id, username, secretSuffix, superUser, schemaRegistry, acls}.
*/}}
{{- define "realtime-platform.v1.kafkaPrincipals" -}}
{{- $root := . -}}
{{- $principals := list -}}
{{- range (include "realtime-platform.v1.contract" . | fromJson).kafkaPrincipals -}}
{{- if or (not .enabledWhen) (include "realtime-platform.v1.conditionHolds" (list $root .enabledWhen)) -}}
{{- $principals = append $principals (dict "id" .id "username" .username "secretSuffix" .secretSuffix "superUser" .superUser "schemaRegistry" .schemaRegistry "acls" .acls) -}}
{{- end -}}
{{- end -}}
{{- toJson $principals -}}
{{- end -}}

{{/*
realtime-platform.v1.databaseEngine: the application database engine's Service (its port has the
same name) and DB_URL's scheme and query, as JSON: the contract's databaseEngineCatalog.
*/}}
{{- define "realtime-platform.v1.databaseEngine" -}}
{{- get (include "realtime-platform.v1.contract" . | fromJson).databaseEngines .Values.platform.database | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.databaseUrl: a connection key (DB_URL) of a db secret's data (JSON), composed
from the keys its `parts` name (files/contract.json), user and password percent-encoded:
<scheme>://<user>:<password>@<host>:<port>/<name><query>. Call with (list $ data parts).
*/}}
{{- define "realtime-platform.v1.databaseUrl" -}}
{{- $root := index . 0 -}}
{{- $data := index . 1 -}}
{{- $parts := index . 2 -}}
{{- $engine := include "realtime-platform.v1.databaseEngine" $root | fromJson -}}
{{- $user := urlquery (get $data $parts.username) | replace "+" "%20" -}}
{{- $password := urlquery (get $data $parts.password) | replace "+" "%20" -}}
{{- printf "%s://%s:%s@%s:%s/%s%s" $engine.scheme $user $password (get $data $parts.host) (get $data $parts.port) (get $data $parts.database) $engine.query -}}
{{- end -}}

{{/*
realtime-platform.v1.dbSecretData: {name}-db-secret (JSON): the application database on the
engine platform.database names, as the applications' user (no owner, no superuser: see initSql).
*/}}
{{- define "realtime-platform.v1.dbSecretData" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- include "realtime-platform.v1.contractSecretData" (list . "db" $credentials.db) -}}
{{- end -}}

{{/*
realtime-platform.v1.dbReaderSecretData: {name}-db-reader-secret (JSON): the keys of
{name}-db-secret with the dashboards' read-only role. Only the dashboards load it.
*/}}
{{- define "realtime-platform.v1.dbReaderSecretData" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- include "realtime-platform.v1.contractSecretData" (list . "db" $credentials.dbReader) -}}
{{- end -}}

{{/*
realtime-platform.v1.dashboardSecretData: {name}-metabase-secret (JSON), Metabase or Grafana: the
URL and a viewer login (created by the setup Job), never the admin.
*/}}
{{- define "realtime-platform.v1.dashboardSecretData" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- include "realtime-platform.v1.contractSecretData" (list . "metabase" (dict "username" $credentials.dashboardViewerUser "password" $credentials.dashboardViewerPassword)) -}}
{{- end -}}

{{/*
realtime-platform.v1.dashboardAdminSecretData: {name}-metabase-admin-secret (JSON): the dashboard
administrator. Only the setup Jobs (and Grafana itself) load it.
*/}}
{{- define "realtime-platform.v1.dashboardAdminSecretData" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- $keys := include "realtime-platform.v1.platformKeys" (list . "metabase-admin-secret") | fromJson -}}
{{- dict
  $keys.username $credentials.dashboardAdminUser
  $keys.password $credentials.dashboardAdminPassword
  | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.lensesSecretData: {name}-lenses-secret (JSON): where Lenses HQ is, no login
(people sign in with their own accounts; the administrator is in {name}-lenses-hq-admin); only
LENSES_ENABLED "false" without Lenses.
*/}}
{{- define "realtime-platform.v1.lensesSecretData" -}}
{{- include "realtime-platform.v1.contractSecretData" (list . "lenses" dict) -}}
{{- end -}}

{{/*
realtime-platform.v1.contractSecretData: the data (JSON) of one of the contract's five Secrets,
made from its keys in files/contract.json (secrets[].keys, generated from the contract's
secretCatalog), so no key name or value is typed here: an endpoint points at the first of its
Services this claim deploys (host, port, URL, or every broker for bootstrap), a setting is the
Secret's enabled flag, a constant or a claim option, a credential takes the login's user name or
password, and the connection key (DB_URL) is composed from the others (databaseUrl). A Secret
whose claim condition does not hold keeps only its flag ("false"), so envFrom never fails.
Call with (list $ "secret id" (dict "username" user "password" password)).
*/}}
{{- define "realtime-platform.v1.contractSecretData" -}}
{{- $root := index . 0 -}}
{{- $id := index . 1 -}}
{{- $login := index . 2 -}}
{{- $secret := dict -}}
{{- range (include "realtime-platform.v1.contract" $root | fromJson).secrets -}}
{{- if eq .id $id -}}{{- $secret = . -}}{{- end -}}
{{- end -}}
{{- if not $secret -}}
{{- fail (printf "realtime-platform: the contract has no Secret %s" $id) -}}
{{- end -}}
{{- $enabled := true -}}
{{- if $secret.enabledWhen -}}
{{- $enabled = eq (include "realtime-platform.v1.conditionHolds" (list $root $secret.enabledWhen)) "true" -}}
{{- end -}}
{{- $data := dict -}}
{{- $connections := list -}}
{{- range $key := $secret.keys -}}
{{- if or $enabled $key.flag -}}
{{- if eq $key.kind "setting" -}}
{{- if $key.flag -}}
{{- $_ := set $data $key.key (toString $enabled) -}}
{{- else if $key.field -}}
{{- $_ := set $data $key.key (toString (get $root.Values.platform $key.field)) -}}
{{- else -}}
{{- $_ := set $data $key.key (toString $key.value) -}}
{{- end -}}
{{- else if eq $key.kind "credential" -}}
{{- $_ := set $data $key.key (required (printf "realtime-platform: no %s for %s of {name}-%s" $key.login $key.key $secret.suffix) (get $login $key.login)) -}}
{{- else if eq $key.kind "endpoint" -}}
{{- $target := dict -}}
{{- range $key.services -}}
{{- if and (not $target) (or (not .enabledWhen) (include "realtime-platform.v1.conditionHolds" (list $root .enabledWhen))) -}}
{{- $target = . -}}
{{- end -}}
{{- end -}}
{{- if not $target -}}
{{- fail (printf "realtime-platform: %s: the claim deploys none of its Services" $key.key) -}}
{{- end -}}
{{- $host := include "realtime-platform.v1.host" (list $root $target.service) -}}
{{- $port := include "realtime-platform.v1.port" (list $root $target.service $target.port) -}}
{{- if eq $key.format "host" -}}
{{- $_ := set $data $key.key $host -}}
{{- else if eq $key.format "port" -}}
{{- $_ := set $data $key.key $port -}}
{{- else if eq $key.format "url" -}}
{{- $_ := set $data $key.key (printf "%s://%s:%s%s" $key.scheme $host $port ($key.path | default "")) -}}
{{- else if and (eq $key.format "bootstrap") (eq $target.service "kafka") -}}
{{- $_ := set $data $key.key (include "realtime-platform.v1.kafkaBootstrapServers" $root) -}}
{{- else -}}
{{- fail (printf "realtime-platform: %s: no rendering for a %s endpoint of %s" $key.key $key.format $target.service) -}}
{{- end -}}
{{- else if eq $key.kind "connection" -}}
{{- $connections = append $connections $key -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $connections -}}
{{- $_ := set $data .key (include "realtime-platform.v1.databaseUrl" (list $root $data .parts)) -}}
{{- end -}}
{{- toJson $data -}}
{{- end -}}

{{/* ---------------------------------------------------------------- the MQTT broker */}}

{{/*
realtime-platform.v1.mqttContext: builds, once per render, the context the iot-broker chart's
templates render the broker with: that subchart's values (its defaults plus this chart's
`iot-broker:` overrides) with `name` = platform.name, the devices of platform.mqttUsers and the
applications' user from the MQTT keys of credentials.existingSecret (when set). It is stored in .Values.__rtpMqttContext, which every
template of this chart shares, so the generated users are the same in all of them.
Returns "".
*/}}
{{- define "realtime-platform.v1.mqttContext" -}}
{{- if not (hasKey .Values "__rtpMqttContext") -}}
{{- $values := deepCopy (index .Values "iot-broker") -}}
{{- $auth := deepCopy ($values.auth | default dict) -}}
{{- $_ := set $auth "users" (deepCopy (.Values.platform.mqttUsers | default list)) -}}
{{- $_ := set $auth "existingSecret" .Values.credentials.existingSecret -}}
{{- $_ := set $values "auth" $auth -}}
{{- $_ := set $values "name" (include "realtime-platform.v1.name" .) -}}
{{- $_ := set $values "clusterDomain" .Values.clusterDomain -}}
{{- $_ := set $values "credentials" (dict "renderWithoutCluster" .Values.credentials.renderWithoutCluster) -}}
{{- $_ := set $values "podDisruptionBudget" .Values.podDisruptionBudget -}}
{{- $_ := set $values "commonLabels" (merge (deepCopy (.Values.commonLabels | default dict)) ($values.commonLabels | default dict)) -}}
{{- if not $values.imagePullSecrets -}}
{{- $_ := set $values "imagePullSecrets" .Values.imagePullSecrets -}}
{{- end -}}
{{- $subchart := index .Subcharts "iot-broker" -}}
{{- $context := dict "Values" $values "Release" .Release "Chart" $subchart.Chart "Files" $subchart.Files "Capabilities" .Capabilities "Template" .Template -}}
{{- $_ := set .Values "__rtpMqttContext" $context -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- Lenses wiring */}}

{{/*
realtime-platform.v1.lensesWiring: JSON of the subchart values that connect Lenses HQ and the
Lenses Agent to this platform, derived from platform.name and the contract: {value path: [accepted
values]}, the first being the suggested one (hosts may be fully qualified or short, which resolves
in this namespace). Helm gives a subchart only the values written under its key and cannot compute
them from the parent's, so these must be given as values; validateValues compares them with this
and prints the suggestion when they differ. Paths ending in "[]" are one-element lists. The
administrator Secret's key names are the contract's (platformSecrets "lenses-hq-admin"), which
this chart writes {name}-lenses-hq-admin with: the subcharts' auth.secretKeys defaults name the
same keys, so only a contract that renames them needs those values given.
*/}}
{{- define "realtime-platform.v1.lensesWiring" -}}
{{- $host := dict -}}
{{- range list "postgresql" "lenses-hq" "kafka" "schema-registry" "kafka-connect" -}}
{{- $_ := set $host . (list (include "realtime-platform.v1.host" (list $ .)) (include "realtime-platform.v1.objectName" (list $ .))) -}}
{{- end -}}
{{- $kafkaPort := include "realtime-platform.v1.port" (list . "kafka" "kafka") -}}
{{- $registryPort := include "realtime-platform.v1.port" (list . "schema-registry" "http") -}}
{{- $connectPort := include "realtime-platform.v1.port" (list . "kafka-connect" "http") -}}
{{- $bootstrap := list -}}
{{- $registry := list -}}
{{- $connect := list -}}
{{- range get $host "kafka" -}}
{{- $bootstrap = append $bootstrap (printf "%s:%s" . $kafkaPort) -}}
{{- end -}}
{{- range get $host "schema-registry" -}}
{{- $registry = append $registry (printf "http://%s:%s" . $registryPort) -}}
{{- end -}}
{{- range get $host "kafka-connect" -}}
{{- $connect = append $connect (printf "http://%s:%s" . $connectPort) -}}
{{- end -}}
{{- $hqAdmin := list (include "realtime-platform.v1.objectName" (list . "lenses-hq-admin")) -}}
{{- $hqAdminKeys := include "realtime-platform.v1.platformKeys" (list . "lenses-hq-admin") | fromJson -}}
{{- dict
  "lenses-hq.fullnameOverride" (list (include "realtime-platform.v1.objectName" (list . "lenses-hq")))
  "lenses-hq.postgresql.host" (get $host "postgresql")
  "lenses-hq.auth.existingSecret" $hqAdmin
  "lenses-hq.auth.secretKeys.usernameKey" (list $hqAdminKeys.username)
  "lenses-hq.auth.secretKeys.passwordKey" (list $hqAdminKeys.password)
  "lenses-hq.auth.secretKeys.passwordHashKey" (list $hqAdminKeys.passwordHash)
  "lenses-agent.fullnameOverride" (list (include "realtime-platform.v1.objectName" (list . "lenses-agent")))
  "lenses-agent.hq.host" (get $host "lenses-hq")
  "lenses-agent.hq.auth.existingSecret" $hqAdmin
  "lenses-agent.hq.auth.secretKeys.usernameKey" (list $hqAdminKeys.username)
  "lenses-agent.hq.auth.secretKeys.passwordKey" (list $hqAdminKeys.password)
  "lenses-agent.kafka.bootstrapServers[]" $bootstrap
  "lenses-agent.schemaRegistry.urls[]" $registry
  "lenses-agent.connect.urls[]" $connect
  "lenses-agent.postgresql.host" (get $host "postgresql")
  | toJson -}}
{{- end -}}

{{/*
realtime-platform.v1.valueAt: the value at a dotted path of .Values as JSON ("null" when absent).
Call with (list $ "a.b.c").
*/}}
{{- define "realtime-platform.v1.valueAt" -}}
{{- $current := (index . 0).Values -}}
{{- range splitList "." (index . 1) -}}
{{- if kindIs "map" $current -}}
{{- $current = get $current . -}}
{{- else -}}
{{- $current = "" -}}
{{- end -}}
{{- end -}}
{{- toJson $current -}}
{{- end -}}

{{/*
realtime-platform.v1.lensesEnvironment: the HQ environment the Lenses Agent serves (the agent
chart's own rule: environment.name, else its release-derived name).
*/}}
{{- define "realtime-platform.v1.lensesEnvironment" -}}
{{- $context := dict "Values" (index .Values "lenses-agent") "Release" .Release "Chart" (index .Subcharts "lenses-agent").Chart -}}
{{- include "lenses-agent.v1.environmentName" $context -}}
{{- end -}}

{{/* ---------------------------------------------------------------- topics */}}

{{/*
realtime-platform.v1.retentionMs: Kafka's retention.ms for a retention such as "7d", "2w", "6m", or
"" when it is malformed or beyond 2^53-1 ms: the platform contract's retentionToMs, with its units'
milliseconds and largest counts from files/contract.json (topics.retentionUnits). At most 15 digits
are read, so the count never overflows Sprig's integers. Call with (list $ "retention").
*/}}
{{- define "realtime-platform.v1.retentionMs" -}}
{{- $retention := index . 1 -}}
{{- $units := (include "realtime-platform.v1.contract" (index . 0) | fromJson).topics.retentionUnits -}}
{{- if regexMatch (printf "^[0-9]{1,15}[%s]$" (keys $units | sortAlpha | join "")) $retention -}}
{{- $unit := get $units (substr (int (sub (len $retention) 1)) (len $retention) $retention) -}}
{{- $count := atoi (substr 0 (int (sub (len $retention) 1)) $retention) -}}
{{- if le $count (int64 $unit.maxCount) -}}
{{- mul $count (int64 $unit.ms) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.topics: every topic the platform creates, as JSON
[{name, role, partitions, retention, retentionMs}]: the contract's planTopics. The default topics
(files/contract.json topics.defaults; a declared topic of the same name overrides their partitions
and retention), then the other declared topics, each followed by its dead-letter topic
("<name><topics.dlqSuffix>", topics.dlqPartitions partitions, the same retention). Retention falls
back to platform.dataRetention; partitions to topics.partitions.
*/}}
{{- define "realtime-platform.v1.topics" -}}
{{- $catalog := (include "realtime-platform.v1.contract" . | fromJson).topics -}}
{{- $declared := dict -}}
{{- range .Values.platform.topics -}}
{{- $_ := set $declared .name . -}}
{{- end -}}
{{- $base := list -}}
{{- $defaultNames := list -}}
{{- range $catalog.defaults -}}
{{- $base = append $base (dict "name" .name "role" .role) -}}
{{- $defaultNames = append $defaultNames .name -}}
{{- end -}}
{{- range .Values.platform.topics -}}
{{- if not (has .name $defaultNames) -}}
{{- $base = append $base (dict "name" .name "role" "declared") -}}
{{- end -}}
{{- end -}}
{{- $plan := list -}}
{{- range $base -}}
{{- $override := get $declared .name | default dict -}}
{{- $retention := $override.retention | default $.Values.platform.dataRetention -}}
{{- $retentionMs := include "realtime-platform.v1.retentionMs" (list $ $retention) -}}
{{- $partitions := $override.partitions | default $catalog.partitions | int -}}
{{- $plan = append $plan (dict "name" .name "role" .role "partitions" $partitions "retention" $retention "retentionMs" $retentionMs) -}}
{{- $plan = append $plan (dict "name" (printf "%s%s" .name $catalog.dlqSuffix) "role" "dlq" "partitions" (int $catalog.dlqPartitions) "retention" $retention "retentionMs" $retentionMs "dlqOf" .name) -}}
{{- end -}}
{{- toJson $plan -}}
{{- end -}}

{{/*
realtime-platform.v1.topicsFile: the topic plan as the topics script reads it, one
"<name> <partitions> <retention.ms>" line per topic.
*/}}
{{- define "realtime-platform.v1.topicsFile" -}}
{{- range include "realtime-platform.v1.topics" . | fromJsonArray -}}
{{ .name }} {{ .partitions }} {{ .retentionMs }}
{{ end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- PostgreSQL */}}

{{/*
realtime-platform.v1.databaseRoles: JSON [{role, passwordEnv, passwordSecret, passwordKey}] of the
login roles the platform creates: the applications' role, the dashboards' read-only role, and the
role of each component that keeps its own database (Metabase, Lenses HQ, the Lenses Agent). Every
password comes from a Secret through an environment variable of the PostgreSQL container, which
provisions them (init.sql over its local socket).
*/}}
{{- define "realtime-platform.v1.backupRole" -}}platform_backup{{- end -}}

{{- define "realtime-platform.v1.databaseRoles" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- $roles := list -}}
{{- /* The applications' and the read-only role only when the application database is here. */ -}}
{{- if eq .Values.platform.database "postgres" -}}
{{- $passwordKey := (include "realtime-platform.v1.loginKeys" (list . "db") | fromJson).password -}}
{{- $roles = append $roles (dict "role" $credentials.db.username "passwordEnv" "APP_DB_PASSWORD" "passwordSecret" (include "realtime-platform.v1.objectName" (list . "db-secret")) "passwordKey" $passwordKey) -}}
{{- $roles = append $roles (dict "role" $credentials.dbReader.username "passwordEnv" "READER_DB_PASSWORD" "passwordSecret" (include "realtime-platform.v1.objectName" (list . "db-reader-secret")) "passwordKey" $passwordKey) -}}
{{- end -}}
{{- if .Values.backup.enabled -}}
{{- $roles = append $roles (dict "role" (include "realtime-platform.v1.backupRole" .) "passwordEnv" "BACKUP_DB_PASSWORD" "passwordSecret" (include "realtime-platform.v1.objectName" (list . "platform-credentials")) "passwordKey" (include "realtime-platform.v1.platformKeys" (list . "platform-credentials") | fromJson).backupDbPassword) -}}
{{- end -}}
{{- if eq (include "realtime-platform.v1.dashboard" .) "metabase" -}}
{{- $roles = append $roles (dict "role" .Values.postgresql.metabaseUser "passwordEnv" "METABASE_DB_PASSWORD" "passwordSecret" (include "realtime-platform.v1.objectName" (list . "platform-credentials")) "passwordKey" (include "realtime-platform.v1.platformKeys" (list . "platform-credentials") | fromJson).metabaseDbPassword) -}}
{{- end -}}
{{- if include "realtime-platform.v1.lenses" . -}}
{{- $hq := index .Values "lenses-hq" -}}
{{- $agent := index .Values "lenses-agent" -}}
{{- $hqContext := dict "Values" $hq "Release" .Release "Chart" (index .Subcharts "lenses-hq").Chart -}}
{{- $agentContext := dict "Values" $agent "Release" .Release "Chart" (index .Subcharts "lenses-agent").Chart -}}
{{- $roles = append $roles (dict "role" $hq.postgresql.username "passwordEnv" "LENSES_HQ_DB_PASSWORD" "passwordSecret" (include "lenses-hq.v1.postgresqlSecretName" $hqContext) "passwordKey" $hq.postgresql.secretKeys.passwordKey) -}}
{{- $roles = append $roles (dict "role" $agent.postgresql.username "passwordEnv" "LENSES_AGENT_DB_PASSWORD" "passwordSecret" (include "lenses-agent.v1.postgresqlSecretName" $agentContext) "passwordKey" $agent.postgresql.secretKeys.passwordKey) -}}
{{- end -}}
{{- toJson $roles -}}
{{- end -}}

{{/*
realtime-platform.v1.databases: JSON [{database, owner}] of the databases the platform creates
(the contract's databaseCatalog). The application database belongs to the superuser: the
applications' role may create and use its own schemas there, but cannot drop the database, let
other roles in, or reach any other database. The other databases belong to the one component that
keeps its state there.
*/}}
{{- define "realtime-platform.v1.databases" -}}
{{- $databases := list -}}
{{- if eq .Values.platform.database "postgres" -}}
{{- $databases = append $databases (dict "database" (include "realtime-platform.v1.applicationDatabase" .) "owner" "postgres") -}}
{{- end -}}
{{- if eq (include "realtime-platform.v1.dashboard" .) "metabase" -}}
{{- $databases = append $databases (dict "database" "metabaseappdb" "owner" .Values.postgresql.metabaseUser) -}}
{{- end -}}
{{- if include "realtime-platform.v1.lenses" . -}}
{{- $databases = append $databases (dict "database" "hq" "owner" (index .Values "lenses-hq").postgresql.username) -}}
{{- $databases = append $databases (dict "database" "agent1" "owner" (index .Values "lenses-agent").postgresql.username) -}}
{{- $databases = append $databases (dict "database" "agent2" "owner" (index .Values "lenses-agent").postgresql.username) -}}
{{- end -}}
{{- toJson $databases -}}
{{- end -}}

{{/*
realtime-platform.v1.initSql: the psql script that creates the roles and databases, run by the
PostgreSQL container itself as the superuser over its local socket (the superuser cannot log in
over the network: pgHba). Idempotent: it can run any number of times (CREATE only what is
missing, then ALTER every role, owner and grant to the desired state), so a database a later
upgrade turns on (Lenses, Metabase) is created too, and an application database an older chart
gave to the applications' role goes back to the superuser. It fails (ON_ERROR_STOP) on any
error, including a password variable that is not set. Passwords reach it as environment variables
(psql's \getenv), never through this file.
*/}}
{{- define "realtime-platform.v1.initSql" -}}
{{- $credentials := include "realtime-platform.v1.credentials" . | fromJson -}}
{{- $app := $credentials.db.username -}}
{{- $reader := $credentials.dbReader.username -}}
{{- $database := include "realtime-platform.v1.applicationDatabase" . -}}
-- Roles and databases of platform {{ include "realtime-platform.v1.name" . }}, rendered by the realtime-platform chart.
-- Run as the superuser with: psql -v ON_ERROR_STOP=1 --no-psqlrc -f init.sql
\set ON_ERROR_STOP on
\set QUIET on
{{- range include "realtime-platform.v1.databaseRoles" . | fromJsonArray }}

-- role {{ .role }} (password from ${{ .passwordEnv }}): a login and nothing more
\getenv role_password {{ .passwordEnv }}
\if :{?role_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'init.sql: the environment variable {{ .passwordEnv }} (password of role {{ .role }}) is not set'; END $$;
\endif
SELECT format('CREATE ROLE %I LOGIN', '{{ .role }}') WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{{ .role }}') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', '{{ .role }}', :'role_password') \gexec
\unset role_password
{{- end }}
{{- range include "realtime-platform.v1.databases" . | fromJsonArray }}

-- database {{ .database }}, owned by {{ .owner }} and closed to every other role
SELECT format('CREATE DATABASE %I OWNER %I', '{{ .database }}', '{{ .owner }}') WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = '{{ .database }}') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', '{{ .database }}', '{{ .owner }}') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', '{{ .database }}') \gexec
{{- end }}

-- the maintenance databases: the superuser's (over the local socket) only
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;

{{- if eq .Values.platform.database "postgres" }}

-- the application database: the applications' role connects, creates its schemas and tables and
-- uses them; the read-only role connects and reads, and nothing else
SELECT format('GRANT CONNECT, TEMPORARY, CREATE ON DATABASE %I TO %I', '{{ $database }}', '{{ $app }}') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', '{{ $database }}', '{{ $reader }}') \gexec
SELECT format('ALTER ROLE %I SET default_transaction_read_only = on', '{{ $reader }}') \gexec
\connect {{ $database }}
\set ON_ERROR_STOP on
\set QUIET on
SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', '{{ $app }}') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', '{{ $reader }}') \gexec
-- what the applications' role creates, now and later, the read-only role may read
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT USAGE ON SCHEMAS TO %I', '{{ $app }}', '{{ $reader }}') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT SELECT ON TABLES TO %I', '{{ $app }}', '{{ $reader }}') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT SELECT ON SEQUENCES TO %I', '{{ $app }}', '{{ $reader }}') \gexec
SELECT format('GRANT USAGE ON SCHEMA %I TO %I', nspname, '{{ $reader }}') FROM pg_catalog.pg_namespace WHERE nspowner = '{{ $app }}'::regrole \gexec
SELECT format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', nspname, '{{ $reader }}') FROM pg_catalog.pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%' \gexec
{{- else }}

-- the application database is on {{ .Values.platform.database }} (platform.database): this server keeps the platform's own
{{- end }}
{{- if .Values.backup.enabled }}
{{- $backup := include "realtime-platform.v1.backupRole" . }}

-- the backup role (backup.enabled): reads every table of every database (pg_read_all_data) and
-- connects to each, read-only; it cannot write, create, or read the roles' passwords
SELECT format('GRANT pg_read_all_data TO %I', '{{ $backup }}') \gexec
SELECT format('ALTER ROLE %I SET default_transaction_read_only = on', '{{ $backup }}') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', 'postgres', '{{ $backup }}') \gexec
{{- range include "realtime-platform.v1.databases" . | fromJsonArray }}
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', '{{ .database }}', '{{ $backup }}') \gexec
{{- end }}
{{- end }}
{{ end -}}

{{/*
realtime-platform.v1.pgHba: PostgreSQL's pg_hba.conf. The superuser logs in on the pod's own
socket only; over the network it is rejected before any password is checked. Every login, local
or remote, needs its password (SCRAM): no trust anywhere.
*/}}
{{- define "realtime-platform.v1.pgHba" -}}
# pg_hba.conf of platform {{ include "realtime-platform.v1.name" . }}, rendered by the realtime-platform chart.
# TYPE  DATABASE  USER      ADDRESS    METHOD
local   all       all                  scram-sha-256
host    all       postgres  0.0.0.0/0  reject
host    all       postgres  ::/0       reject
host    all       all       0.0.0.0/0  scram-sha-256
host    all       all       ::/0       scram-sha-256
{{ end -}}

{{/*
realtime-platform.v1.podDisruptionBudget: the PodDisruptionBudget of one component's pods, as
(list $ "<component>"), or nothing when podDisruptionBudget.enabled is false. maxUnavailable (not
minAvailable): a single-replica workload can still be drained (a short, planned outage) instead of
blocking every node drain, and a replicated one keeps all but one replica up.
*/}}
{{- define "realtime-platform.v1.podDisruptionBudget" -}}
{{- $ := index . 0 -}}
{{- $component := index . 1 -}}
{{- $maxUnavailable := $.Values.podDisruptionBudget.maxUnavailable -}}
{{- if gt (len .) 2 -}}
{{- /* A quorum's own bound (Kafka brokers and controllers of three: 1), whatever the setting. */ -}}
{{- $maxUnavailable = index . 2 -}}
{{- end -}}
{{- if $.Values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "realtime-platform.v1.objectName" (list $ $component) }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "realtime-platform.v1.labels" (list $ $component) | nindent 4 }}
spec:
  maxUnavailable: {{ $maxUnavailable }}
  selector:
    matchLabels:
      {{- include "realtime-platform.v1.selectorLabels" (list $ $component) | nindent 6 }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- connectors */}}

{{/*
realtime-platform.v1.connectSecretsDir: where the Kafka pod mounts the files Kafka Connect's
DirectoryConfigProvider reads connector credentials from (`${directory:<dir>:<key>}`).
*/}}
{{- define "realtime-platform.v1.connectSecretsDir" -}}/mnt/connect-secrets{{- end -}}

{{/*
realtime-platform.v1.mqttSourceConnector: the requirements' MQTT source connector
(device_data_connector) as JSON for PUT /connectors/<name>/config, the intake of the Lenses mode
only. The broker is this platform's Service; user and password are references to the mounted
{name}-mqtt-secret, resolved by Connect when the task starts, so they are never stored in the
connector configuration. The requirements' `errors.tolerance: all` would drop a reading the
connector cannot convert without a trace; `none` fails the task instead (visible in its status,
logged with the message, restarted by the reconciling CronJob).
*/}}
{{- define "realtime-platform.v1.mqttSourceConnector" -}}
{{- $dir := printf "%s/mqtt" (include "realtime-platform.v1.connectSecretsDir" .) -}}
{{- $login := include "realtime-platform.v1.loginKeys" (list . "mqtt") | fromJson -}}
{{- $config := dict
  "name" "device_data_connector"
  "connector.class" "io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector"
  "tasks.max" "1"
  "connect.mqtt.hosts" (printf "tcp://%s.%s.svc.%s:%s" (include "realtime-platform.v1.objectName" (list . "mqtt")) .Release.Namespace .Values.clusterDomain (include "realtime-platform.v1.port" (list . "mqtt" "mqtt")))
  "connect.mqtt.kcql" "INSERT INTO device_data SELECT * FROM health/device_data WITHKEY(deviceId)"
  "connect.mqtt.username" (printf "${directory:%s:%s}" $dir $login.username)
  "connect.mqtt.password" (printf "${directory:%s:%s}" $dir $login.password)
  "connect.mqtt.service.quality" "1"
  "errors.tolerance" "none"
  "errors.log.enable" "true"
  "errors.log.include.messages" "true"
-}}
{{- range $key, $value := .Values.connectors.mqttSource.extraConfig -}}
{{- $_ := set $config $key (toString $value) -}}
{{- end -}}
{{- toPrettyJson $config -}}
{{- end -}}

{{/*
realtime-platform.v1.snowflakeSinkConnector: the requirements' Snowflake sink (HealthDataConnector)
as JSON. Account URL, user, private key (key-pair authentication), passphrase, database and schema
are references to files the Kafka pod prepares from platform.snowflake.credentialsSecret (the
private key without its PEM armour, as the connector wants it; INGEST where the Secret has no
database or schema).
*/}}
{{- define "realtime-platform.v1.snowflakeSinkConnector" -}}
{{- $dir := printf "%s/snowflake" (include "realtime-platform.v1.connectSecretsDir" .) -}}
{{- $config := dict
  "name" "HealthDataConnector"
  "connector.class" "com.snowflake.kafka.connector.SnowflakeSinkConnector"
  "topics" "temperature_device_topic,heart_rate_device_topic,blood_pressure_device_topic,oxygen_saturation_device_topic"
  "snowflake.url.name" (printf "${directory:%s:SNOWFLAKE_URL}" $dir)
  "snowflake.user.name" (printf "${directory:%s:SNOWFLAKE_USER}" $dir)
  "snowflake.private.key" (printf "${directory:%s:SNOWFLAKE_PRIVATE_KEY}" $dir)
  "snowflake.private.key.passphrase" (printf "${directory:%s:SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}" $dir)
  "snowflake.database.name" (printf "${directory:%s:SNOWFLAKE_DATABASE}" $dir)
  "snowflake.schema.name" (printf "${directory:%s:SNOWFLAKE_SCHEMA}" $dir)
  "buffer.count.records" "1000000"
  "buffer.flush.time" "10"
  "buffer.size.bytes" "250000000"
  "value.converter" "com.snowflake.kafka.connector.records.SnowflakeAvroConverter"
  "value.converter.schema.registry.url" (printf "http://%s:%s" (include "realtime-platform.v1.host" (list . "schema-registry")) (include "realtime-platform.v1.port" (list . "schema-registry" "http")))
  "value.converter.basic.auth.credentials.source" "USER_INFO"
  "value.converter.basic.auth.user.info" (printf "${directory:%s/registry:REGISTRY_USER_INFO}" (include "realtime-platform.v1.connectSecretsDir" .))
-}}
{{- range $key, $value := .Values.connectors.snowflakeSink.extraConfig -}}
{{- $_ := set $config $key (toString $value) -}}
{{- end -}}
{{- toPrettyJson $config -}}
{{- end -}}

{{/*
realtime-platform.v1.connectors: JSON {file name: connector JSON} of the desired connectors.
*/}}
{{- define "realtime-platform.v1.connectors" -}}
{{- $connectors := dict -}}
{{- /* One intake per mode: in builtin mode the mqtt-bridge reads the MQTT topic; a second reader would ingest every reading twice. */ -}}
{{- if and .Values.platform.iot (include "realtime-platform.v1.lenses" .) -}}
{{- $_ := set $connectors "device_data_connector.json" (include "realtime-platform.v1.mqttSourceConnector" .) -}}
{{- end -}}
{{- if .Values.platform.snowflake.enabled -}}
{{- $_ := set $connectors "HealthDataConnector.json" (include "realtime-platform.v1.snowflakeSinkConnector" .) -}}
{{- end -}}
{{- toJson $connectors -}}
{{- end -}}

{{/* ---------------------------------------------------------------- validation */}}

{{/*
realtime-platform.v1.validateValues: gathers every problem into one `fail`. values.schema.json
already checks the claim (the contract's schema) and what JSON Schema can say about relations;
this checks what only the template knows: the relations the contract expresses as CEL rules, the
retention arithmetic, and the Lenses wiring derived from platform.name.
*/}}
{{- define "realtime-platform.v1.validateValues" -}}
{{- $problems := list -}}
{{- $p := .Values.platform -}}
{{- if and .Values.backup.enabled (ne $p.database "postgres") -}}
{{- $problems = append $problems (printf "backup.enabled needs platform.database: postgres: the backup CronJob dumps PostgreSQL (pg_dump), and with %q the application database is not there, so a backup would silently miss it. Back the %s volume up with your cluster's volume snapshots, or set backup.enabled: false." $p.database $p.database) -}}
{{- end -}}
{{- if gt (int $p.scaling.minReplicas) (int $p.scaling.maxReplicas) -}}
{{- $problems = append $problems (printf "platform.scaling.minReplicas (%d) must not exceed platform.scaling.maxReplicas (%d)." (int $p.scaling.minReplicas) (int $p.scaling.maxReplicas)) -}}
{{- end -}}
{{- if and $p.mqttUsers (not $p.iot) -}}
{{- $problems = append $problems "platform.mqttUsers needs platform.iot: true (without MQTT there is no broker to log in to)." -}}
{{- end -}}
{{- range $index, $user := $p.mqttUsers -}}
{{- if hasKey $user "password" -}}
{{- $problems = append $problems (printf "platform.mqttUsers[%d].password is refused: a device password in the values travels in clear into the release (and a claim's Release and Application); put it in a Secret of this namespace and give passwordSecretRef: {name, key}." $index) -}}
{{- end -}}
{{- end -}}
{{- if and $p.snowflake.enabled (not $p.snowflake.credentialsSecret) -}}
{{- $problems = append $problems "platform.snowflake.credentialsSecret is required when platform.snowflake.enabled is true: name the Secret with the Snowflake key pair (SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY)." -}}
{{- end -}}
{{- if not (include "realtime-platform.v1.retentionMs" (list $ ($p.dataRetention | toString))) -}}
{{- $problems = append $problems (printf "platform.dataRetention: %q must be a number and d, w or m (30 days), e.g. 7d, at most 2^53-1 milliseconds." ($p.dataRetention | toString)) -}}
{{- end -}}
{{- $seenTopics := dict -}}
{{- range $index, $topic := $p.topics -}}
{{- if hasKey $seenTopics $topic.name -}}
{{- $problems = append $problems (printf "platform.topics[%d].name: %q is declared twice." $index $topic.name) -}}
{{- end -}}
{{- $_ := set $seenTopics $topic.name true -}}
{{- if hasSuffix ".dlq" $topic.name -}}
{{- $problems = append $problems (printf "platform.topics[%d].name: %q must not end with .dlq (reserved for dead-letter topics)." $index $topic.name) -}}
{{- end -}}
{{- if and $topic.retention (not (include "realtime-platform.v1.retentionMs" (list $ ($topic.retention | toString)))) -}}
{{- $problems = append $problems (printf "platform.topics[%d].retention: %q must be a number and d, w or m, at most 2^53-1 milliseconds." $index ($topic.retention | toString)) -}}
{{- end -}}
{{- end -}}
{{- $lenses := include "realtime-platform.v1.lenses" . -}}
{{- if and $lenses (not .Values.lenses.enabled) -}}
{{- $problems = append $problems "lenses.enabled: set it to true with platform.streamProcessing: lenses (it loads the Lenses HQ and Agent subcharts; see the README for the licence, EULA and wiring values they need)." -}}
{{- else if and (not $lenses) .Values.lenses.enabled -}}
{{- $problems = append $problems "lenses.enabled: leave it false unless platform.streamProcessing is lenses." -}}
{{- end -}}
{{- if and $lenses .Values.lenses.enabled -}}
{{- $hq := index .Values "lenses-hq" -}}
{{- $agent := index .Values "lenses-agent" -}}
{{- if not $hq.license.acceptEULA -}}
{{- $problems = append $problems "lenses-hq.license.acceptEULA: the Lenses EULA (https://lenses.io/legals/eula) is not accepted; set it to true to accept it." -}}
{{- end -}}
{{- if not $agent.acceptEULA -}}
{{- $problems = append $problems "lenses-agent.acceptEULA: the Lenses EULA (https://lenses.io/legals/eula) is not accepted; set it to true to accept it." -}}
{{- end -}}
{{- if not $hq.license.existingSecret -}}
{{- $problems = append $problems "lenses-hq.license.existingSecret: name the Secret with the Lenses licence key." -}}
{{- end -}}
{{- $wrong := list -}}
{{- range $path, $accepted := include "realtime-platform.v1.lensesWiring" . | fromJson -}}
{{- $isList := hasSuffix "[]" $path -}}
{{- $key := trimSuffix "[]" $path -}}
{{- $actual := include "realtime-platform.v1.valueAt" (list $ $key) -}}
{{- $ok := false -}}
{{- range $accepted -}}
{{- if eq $actual (ternary (list . | toJson) (. | toJson) $isList) -}}
{{- $ok = true -}}
{{- end -}}
{{- end -}}
{{- if not $ok -}}
{{- $wrong = append $wrong (printf (ternary "%s={%s}" "%s=%s" $isList) $key (first $accepted)) -}}
{{- end -}}
{{- end -}}
{{- if $wrong -}}
{{- $problems = append $problems (printf "the Lenses subcharts are not wired to this platform. Helm cannot derive their values from platform.name and the platform contract, so give them (here as --set arguments; short host names work too):\n      %s" (join "\n      " $wrong)) -}}
{{- end -}}
{{- $hqHttp := include "realtime-platform.v1.port" (list $ "lenses-hq" "http") | int -}}
{{- $hqAgents := include "realtime-platform.v1.port" (list $ "lenses-hq" "agents") | int -}}
{{- $postgresql := include "realtime-platform.v1.port" (list $ "postgresql" "postgresql") | int -}}
{{- range $pair := list (list "lenses-hq.http.port" $hqHttp) (list "lenses-hq.agents.port" $hqAgents) (list "lenses-agent.hq.httpPort" $hqHttp) (list "lenses-agent.hq.agentsPort" $hqAgents) (list "lenses-hq.postgresql.database" "hq") (list "lenses-agent.postgresql.database" "agent1") (list "lenses-hq.postgresql.port" $postgresql) (list "lenses-agent.postgresql.port" $postgresql) -}}
{{- $actual := include "realtime-platform.v1.valueAt" (list $ (index $pair 0)) -}}
{{- if ne $actual (index $pair 1 | toJson) -}}
{{- $problems = append $problems (printf "%s: must be %v, the platform contract's (got %s)." (index $pair 0) (index $pair 1) $actual) -}}
{{- end -}}
{{- end -}}
{{- range $role := list $hq.postgresql.username $agent.postgresql.username -}}
{{- if not (regexMatch "^[a-z_][a-z0-9_]{0,62}$" ($role | default "")) -}}
{{- $problems = append $problems (printf "lenses-hq/lenses-agent postgresql.username: %q must be a lowercase PostgreSQL identifier (letters, digits, _)." $role) -}}
{{- end -}}
{{- end -}}
{{- if eq $hq.postgresql.username $agent.postgresql.username -}}
{{- $problems = append $problems "lenses-hq.postgresql.username and lenses-agent.postgresql.username must differ: each chart generates its own password." -}}
{{- end -}}
{{- end -}}
{{- $brokers := int (include "realtime-platform.v1.kafkaBrokerCount" .) -}}
{{- $replicationFactor := int (include "realtime-platform.v1.kafkaReplicationFactor" .) -}}
{{- if gt $replicationFactor $brokers -}}
{{- $problems = append $problems (printf "kafka.replicationFactor: %d is more than the %d broker(s) of platform.kafkaBrokers; use 0 (the number of brokers)." $replicationFactor $brokers) -}}
{{- else if and (eq $brokers 3) (ne $replicationFactor 3) -}}
{{- $problems = append $problems (printf "kafka.replicationFactor: %d with platform.kafkaBrokers: 3: min.insync.replicas is 2, so a topic with fewer than 3 copies stops taking writes while a broker is down (and one with 1 copy never takes any); use 0 or 3." $replicationFactor) -}}
{{- end -}}
{{- if and (eq $brokers 3) (contains "fast-data-dev" .Values.kafka.cluster.image.repository) -}}
{{- $problems = append $problems (printf "kafka.cluster.image.repository: %q cannot be the brokers of platform.kafkaBrokers: 3 (fast-data-dev runs one broker per pod with its own Schema Registry and Connect); use an Apache Kafka image such as apache/kafka." .Values.kafka.cluster.image.repository) -}}
{{- end -}}
{{- if not (regexMatch "^[a-z_][a-z0-9_]{0,62}$" .Values.postgresql.metabaseUser) -}}
{{- $problems = append $problems (printf "postgresql.metabaseUser: %q must be a lowercase PostgreSQL identifier." .Values.postgresql.metabaseUser) -}}
{{- end -}}
{{- with .Values.credentials.existingSecret -}}
{{- $credentials := include "realtime-platform.v1.credentials" $ | fromJson -}}
{{- if not (regexMatch "^[a-z_][a-z0-9_]{0,62}$" $credentials.db.username) -}}
{{- $problems = append $problems (printf "credentials.existingSecret: %s %q must be a lowercase PostgreSQL identifier (letters, digits, _)." (include "realtime-platform.v1.loginKeys" (list $ "db") | fromJson).username $credentials.db.username) -}}
{{- end -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nrealtime-platform: the values need changes:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- provisioning containers */}}

{{/*
realtime-platform.v1.connectorsContainer: the container that applies the connectors (the setup
Job's and the CronJob's). Call with (list $ connectUrl).
*/}}
{{- define "realtime-platform.v1.connectorsContainer" -}}
{{- $root := index . 0 -}}
- name: connectors
  image: {{ include "realtime-platform.v1.image" $root.Values.jobs.image }}
  imagePullPolicy: {{ $root.Values.jobs.image.pullPolicy }}
  command: ["/bin/sh", "/scripts/apply-connectors.sh"]
  env:
    - name: CONNECT_URL
      value: {{ index . 1 | quote }}
    - name: CONNECTORS_DIR
      value: /connectors
    - name: OWNED_CONNECTORS
      value: "device_data_connector HealthDataConnector"
    # Connect's REST API accepts only the provisioning principal (basic auth).
    - name: CONNECT_USERNAME
      valueFrom:
        secretKeyRef:
          name: {{ include "realtime-platform.v1.objectName" (list $root "kafka-admin-secret") }}
          key: {{ (include "realtime-platform.v1.loginKeys" (list $root "kafka") | fromJson).username }}
    - name: CONNECT_PASSWORD
      valueFrom:
        secretKeyRef:
          name: {{ include "realtime-platform.v1.objectName" (list $root "kafka-admin-secret") }}
          key: {{ (include "realtime-platform.v1.loginKeys" (list $root "kafka") | fromJson).password }}
    - name: WAIT_SECONDS
      value: {{ $root.Values.jobs.waitSeconds | quote }}
    - name: HOME
      value: /tmp
  resources:
    {{- toYaml $root.Values.jobs.resources | nindent 4 }}
  securityContext:
    {{- include "realtime-platform.v1.containerSecurityContext" $root | nindent 4 }}
  volumeMounts:
    - name: scripts
      mountPath: /scripts
      readOnly: true
    - name: connectors
      mountPath: /connectors
      readOnly: true
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{/*
realtime-platform.v1.connectorsVolumes: the volumes of realtime-platform.v1.connectorsContainer.
*/}}
{{- define "realtime-platform.v1.connectorsVolumes" -}}
- name: scripts
  configMap:
    name: {{ include "realtime-platform.v1.objectName" (list . "scripts") }}
    defaultMode: 365 # 0555: executable scripts, read-only
- name: connectors
  configMap:
    name: {{ include "realtime-platform.v1.objectName" (list . "connectors") }}
- name: tmp
  emptyDir: {}
{{- end -}}

{{/*
realtime-platform.v1.grafanaDatasources: Grafana's data source provisioning file: the application
database, with its credentials as $VARIABLE references Grafana expands from its environment (the
keys of {name}-db-reader-secret, which it loads: databaseKeys).
*/}}
{{- define "realtime-platform.v1.grafanaDatasources" -}}
{{- $keys := include "realtime-platform.v1.databaseKeys" . | fromJson -}}
apiVersion: 1
{{- if eq .Values.platform.database "postgres" }}
datasources:
  - name: realtime
    uid: realtime-postgresql
    type: grafana-postgresql-datasource
    access: proxy
    url: ${{ $keys.host }}:${{ $keys.port }}
    user: ${{ $keys.username }}
    isDefault: true
    editable: false
    jsonData:
      database: ${{ $keys.database }}
      sslmode: disable
      postgresVersion: 1700
    secureJsonData:
      password: ${{ $keys.password }}
{{- else }}
# platform.database mysql (mongodb with Grafana is refused: values.schema.json, the claim's CEL rule).
datasources:
  - name: realtime
    uid: realtime-mysql
    type: mysql
    access: proxy
    url: ${{ $keys.host }}:${{ $keys.port }}
    user: ${{ $keys.username }}
    isDefault: true
    editable: false
    jsonData:
      database: ${{ $keys.database }}
    secureJsonData:
      password: ${{ $keys.password }}
{{- end }}
{{- end -}}
