{{/*
Named templates of the iot-broker chart. Template names are global across a parent chart and its
subcharts, so every helper is named `iot-broker.v1.<thing>`; `v1` is bumped if a helper's contract
changes. The realtime-platform chart renders the broker through these helpers: every helper takes
a context with `.Values` (this chart's values plus `name`), `.Release`, `.Chart` and
`.Capabilities`, which is this chart's own root context when it is installed alone.

Objects are named after the platform (`.Values.name`), never after the release: applications and
the platform contract find the broker as `{name}-mqtt` and its credentials in `{name}-mqtt-secret`.
*/}}

{{/* ---------------------------------------------------------------- names */}}

{{/*
iot-broker.v1.objectName: "{name}-<suffix>". Call with (list $ "suffix").
*/}}
{{- define "iot-broker.v1.objectName" -}}
{{- include "common.v1.names.platformObject" (list (index . 0).Values.name (index . 1)) -}}
{{- end -}}

{{/*
iot-broker.v1.serviceName: the Service (and StatefulSet) "{name}-mqtt" of the platform contract.
*/}}
{{- define "iot-broker.v1.serviceName" -}}
{{- include "iot-broker.v1.objectName" (list . "mqtt") -}}
{{- end -}}

{{/*
iot-broker.v1.secretName: the contract Secret "{name}-mqtt-secret" applications load with envFrom
(the app role's Secret).
*/}}
{{- define "iot-broker.v1.secretName" -}}
{{- include "iot-broker.v1.roleSecretName" (list . "app") -}}
{{- end -}}

{{/*
iot-broker.v1.passwordFileSecretName: the Secret "{name}-mqtt-passwd" holding the password file.
*/}}
{{- define "iot-broker.v1.passwordFileSecretName" -}}
{{- include "iot-broker.v1.objectName" (list . "mqtt-passwd") -}}
{{- end -}}

{{/*
iot-broker.v1.configMapName: the ConfigMap "{name}-mqtt-config" holding mosquitto.conf.
*/}}
{{- define "iot-broker.v1.configMapName" -}}
{{- include "iot-broker.v1.objectName" (list . "mqtt-config") -}}
{{- end -}}

{{/*
iot-broker.v1.host: the fully qualified host of the broker's Service,
"{name}-mqtt.<namespace>.svc.<clusterDomain>", so it works from any namespace.
*/}}
{{- define "iot-broker.v1.host" -}}
{{- include "common.v1.names.serviceHost" (list (include "iot-broker.v1.serviceName" .) .Release.Namespace .Values.clusterDomain) -}}
{{- end -}}

{{/*
iot-broker.v1.contract: files/contract.json, the platform contract's values this chart uses (the
`mqtt` Service's ports, the MQTT roles, the TLS port), generated from
@realtime-platform/platform-contract by charts/scripts/generate-contract-files.js. Returns the
JSON text: use with `fromJson`.
*/}}
{{- define "iot-broker.v1.contract" -}}
{{- .Files.Get "files/contract.json" -}}
{{- end -}}

{{/*
iot-broker.v1.mqttPort and iot-broker.v1.websocketPort: the broker's ports, the contract's `mqtt`
and `websocket` ports of the mqtt Service. They are not configurable, so every published URL is
right by construction.
*/}}
{{- define "iot-broker.v1.mqttPort" -}}
{{- (include "iot-broker.v1.contract" . | fromJson).ports.mqtt.mqtt | int -}}
{{- end -}}
{{- define "iot-broker.v1.websocketPort" -}}
{{- (include "iot-broker.v1.contract" . | fromJson).ports.mqtt.websocket | int -}}
{{- end -}}

{{/*
iot-broker.v1.url: the URL of one of the broker's ports as the contract's mqtt secret gives it
(its endpoint key of format url for that port: scheme and path, e.g. MQTT_WS_URL), so NOTES.txt
types no scheme or path. Call with (list $ "port name").
*/}}
{{- define "iot-broker.v1.url" -}}
{{- $root := index . 0 -}}
{{- $portName := index . 1 -}}
{{- $url := "" -}}
{{- range $key := (first (include "iot-broker.v1.contract" $root | fromJson).secrets).keys -}}
{{- if and (not $url) (eq ($key.format | default "") "url") -}}
{{- range $key.services -}}
{{- if eq .port $portName -}}
{{- $port := get (include "iot-broker.v1.contract" $root | fromJson).ports.mqtt $portName | int -}}
{{- $url = printf "%s://%s:%d%s" $key.scheme (include "iot-broker.v1.host" $root) $port ($key.path | default "") -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- required (printf "iot-broker: the contract's mqtt secret has no URL of port %s" $portName) $url -}}
{{- end -}}

{{/* ---------------------------------------------------------------- labels and image */}}

{{/*
iot-broker.v1.selectorLabels: the immutable labels that select the broker's pod. The platform
name is part of them: two platforms in one release or namespace never share a selector.
*/}}
{{- define "iot-broker.v1.selectorLabels" -}}
{{- include "common.v1.labels.selector" (dict "context" . "name" "iot-broker" "component" "mqtt" "platform" .Values.name) -}}
{{- end -}}

{{/*
iot-broker.v1.labels: the labels of every object (selector labels, versions, commonLabels).
*/}}
{{- define "iot-broker.v1.labels" -}}
{{- include "common.v1.labels.standard" (dict "context" . "name" "iot-broker" "component" "mqtt" "platform" .Values.name "version" .Values.image.tag "partOf" "realtime-platform" "commonLabels" .Values.commonLabels) -}}
{{- end -}}

{{/*
iot-broker.v1.podLabels: the pod template's labels; without helm.sh/chart, so a chart version
bump alone restarts nothing.
*/}}
{{- define "iot-broker.v1.podLabels" -}}
{{- include "common.v1.labels.pod" (dict "context" . "name" "iot-broker" "component" "mqtt" "platform" .Values.name "version" .Values.image.tag "partOf" "realtime-platform" "commonLabels" .Values.commonLabels "podLabels" .Values.podLabels) -}}
{{- end -}}

{{/*
iot-broker.v1.image: the image reference; the digest wins over the tag.
*/}}
{{- define "iot-broker.v1.image" -}}
{{- include "common.v1.images.image" .Values.image -}}
{{- end -}}

{{/* ---------------------------------------------------------------- credentials */}}

{{/*
iot-broker.v1.secretValue: the decoded value of `key` in a Secret's `data`, or "".
Call with (list $secretData "KEY").
*/}}
{{- define "iot-broker.v1.secretValue" -}}
{{- $data := index . 0 | default dict -}}
{{- get $data (index . 1) | default "" | b64dec -}}
{{- end -}}

{{/*
iot-broker.v1.roles: the MQTT roles of the platform contract (mqttRoleCatalog, in
files/contract.json) as JSON [[role, secret suffix, user name prefix]], in the contract's order.
A chart test compares the ACL below with the contract.
*/}}
{{- define "iot-broker.v1.roles" -}}
{{- $roles := list -}}
{{- range (include "iot-broker.v1.contract" . | fromJson).mqtt.roles -}}
{{- $roles = append $roles (list .role .secretSuffix .usernamePrefix) -}}
{{- end -}}
{{- toJson $roles -}}
{{- end -}}

{{/*
iot-broker.v1.roleSecretName: the Secret of a role's connection, "{name}-<suffix>": the contract's
{name}-mqtt-secret for "app" (what applications get), {name}-mqtt-bridge-secret for the bridge,
{name}-mqtt-gateway-secret for gateways. Call with (list $ "bridge").
*/}}
{{- define "iot-broker.v1.roleSecretName" -}}
{{- $root := index . 0 -}}
{{- $role := index . 1 -}}
{{- range include "iot-broker.v1.roles" $root | fromJsonArray -}}
{{- if eq (index . 0) $role -}}
{{- include "iot-broker.v1.objectName" (list $root (index . 1)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
iot-broker.v1.clusterReachable: "true" when this render can read the cluster, else "": a list in the
release namespace answers with a list (maybe empty) whenever lookup reaches a cluster, and with
nothing in a render without one (helm template, helm install --dry-run=client, Argo CD).
*/}}
{{- define "iot-broker.v1.clusterReachable" -}}
{{- if lookup "v1" "ServiceAccount" .Release.Namespace "" -}}true{{- end -}}
{{- end -}}

{{/*
iot-broker.v1.guardRenderWithoutCluster: fails a render that cannot read the cluster unless
credentials.renderWithoutCluster is "generate": it cannot find the MQTT users' passwords an earlier install
generated and would generate new ones, which an upgrade would apply over the running ones.
*/}}
{{- define "iot-broker.v1.guardRenderWithoutCluster" -}}
{{- if and (ne ((.Values.credentials | default dict).renderWithoutCluster | default "fail") "generate") (not (include "iot-broker.v1.clusterReachable" .)) -}}
{{- fail "\n\niot-broker: credentials.renderWithoutCluster: this render cannot read the cluster (helm template, helm install --dry-run=client, Argo CD: lookup answers nothing), so it would generate the MQTT users' passwords anew; applied over a running release (an upgrade) they replace the ones in use. Render with cluster access (helm install/upgrade, helm template --dry-run=server, a Flux HelmRelease), or set credentials.renderWithoutCluster=generate for a first install or a preview that is never applied over an existing release.\n" -}}
{{- end -}}
{{- end -}}

{{/*
iot-broker.v1.credentials: JSON {"roles": {app|bridge|gateway: {username, password}},
"devices": [{username, passwordSecretRef}]}: the users of the password file. Computed once per
render (Helm re-evaluates an include on every call, and the random functions differ each time)
and kept across upgrades:
  - the app user (what {name}-mqtt-secret publishes to applications) comes from
    auth.existingSecret, else from the {name}-mqtt-secret already in the cluster (lookup), else is
    generated as auth.generatedUsernamePrefix + 8 random characters; a stored user that is now a
    device (charts before roles published the first device) is replaced by a generated one;
  - the bridge and gateway users come from their Secrets in the cluster, else are generated;
  - devices are auth.users (user name = deviceId); their passwords are never in the values: each
    names a key of a Secret, which only the broker pod's init container reads (buildPasswordFile).
No password is hashed here: the init container hashes every user's password with mosquitto_passwd
from the Secrets it mounts (roleSecretSources, deviceSecretSources).
*/}}
{{- define "iot-broker.v1.credentials" -}}
{{- if not (hasKey .Values "__iotBrokerCredentials") -}}
{{- include "iot-broker.v1.guardRenderWithoutCluster" . -}}
{{- $root := . -}}
{{- $namespace := .Release.Namespace -}}
{{- $devices := list -}}
{{- $deviceNames := dict -}}
{{- range .Values.auth.users -}}
{{- $devices = append $devices (dict "username" .username "passwordSecretRef" .passwordSecretRef) -}}
{{- $_ := set $deviceNames (.username | default "") true -}}
{{- end -}}
{{- /* The MQTT secret's login keys (files/contract.json): every role's Secret and
auth.existingSecret hold the login under them. */ -}}
{{- $loginKeys := (first (include "iot-broker.v1.contract" . | fromJson).secrets).login -}}
{{- $given := dict -}}
{{- with .Values.auth.existingSecret -}}
{{- $found := lookup "v1" "Secret" $namespace . -}}
{{- if not $found -}}
{{- fail (printf "\n\niot-broker: auth.existingSecret: Secret %q was not found in namespace %q. It is read with lookup, which needs a cluster (helm install/upgrade, or helm template --dry-run=server); create it with the keys %s and %s, or leave auth.existingSecret empty to generate the credentials.\n" . $namespace $loginKeys.username $loginKeys.password) -}}
{{- end -}}
{{- $given = $found.data | default dict -}}
{{- end -}}
{{- $roles := dict -}}
{{- range include "iot-broker.v1.roles" . | fromJsonArray -}}
{{- $role := index . 0 -}}
{{- $stored := (lookup "v1" "Secret" $namespace (include "iot-broker.v1.objectName" (list $root (index . 1))) | default dict).data | default dict -}}
{{- $username := include "iot-broker.v1.secretValue" (list $stored $loginKeys.username) -}}
{{- $password := include "iot-broker.v1.secretValue" (list $stored $loginKeys.password) -}}
{{- if hasKey $deviceNames $username -}}
{{- $username = "" -}}
{{- $password = "" -}}
{{- end -}}
{{- $prefix := index . 2 -}}
{{- if eq $role "app" -}}
{{- $prefix = $root.Values.auth.generatedUsernamePrefix -}}
{{- $givenUser := include "iot-broker.v1.secretValue" (list $given $loginKeys.username) -}}
{{- if $givenUser -}}
{{- if hasKey $deviceNames $givenUser -}}
{{- fail (printf "\n\niot-broker: auth.existingSecret: %s %q is also a device in auth.users; the applications' user must be a user of its own.\n" $loginKeys.username $givenUser) -}}
{{- end -}}
{{- $username = $givenUser -}}
{{- $password = include "iot-broker.v1.secretValue" (list $given $loginKeys.password) -}}
{{- end -}}
{{- end -}}
{{- $username = $username | default (printf "%s%s" $prefix (randAlphaNum 8 | lower)) -}}
{{- $password = $password | default (randAlphaNum 32) -}}
{{- $_ := set $roles $role (dict "username" $username "password" $password) -}}
{{- end -}}
{{- $_ := set .Values "__iotBrokerCredentials" (dict "roles" $roles "devices" $devices) -}}
{{- end -}}
{{- get .Values "__iotBrokerCredentials" | toJson -}}
{{- end -}}

{{/*
iot-broker.v1.deviceNames: the devices' user names (auth.users), space-separated.
*/}}
{{- define "iot-broker.v1.deviceNames" -}}
{{- $names := list -}}
{{- range (include "iot-broker.v1.credentials" . | fromJson).devices -}}
{{- $names = append $names .username -}}
{{- end -}}
{{- join " " $names -}}
{{- end -}}

{{/*
iot-broker.v1.deviceSecretSources: the projected-volume sources (JSON) that put each device's
password (its passwordSecretRef) at /mosquitto/devices/<username>. Optional, so that a missing Secret or
key is reported by buildPasswordFile naming the device, not by a pod stuck in ContainerCreating.
*/}}
{{- define "iot-broker.v1.deviceSecretSources" -}}
{{- $bySecret := dict -}}
{{- range (include "iot-broker.v1.credentials" . | fromJson).devices -}}
{{- $items := get $bySecret .passwordSecretRef.name | default list -}}
{{- $_ := set $bySecret .passwordSecretRef.name (append $items (dict "key" .passwordSecretRef.key "path" .username)) -}}
{{- end -}}
{{- $sources := list -}}
{{- range $name := keys $bySecret | sortAlpha -}}
{{- $sources = append $sources (dict "secret" (dict "name" $name "optional" true "items" (get $bySecret $name))) -}}
{{- end -}}
{{- toJson $sources -}}
{{- end -}}

{{/*
iot-broker.v1.loginKeys: JSON {"username": KEY, "password": KEY}: the keys of a role's connection
Secret that hold its login (the contract's MQTT credential keys, secrets[0].keys of
files/contract.json).
*/}}
{{- define "iot-broker.v1.loginKeys" -}}
{{- $keys := dict -}}
{{- range (first (include "iot-broker.v1.contract" . | fromJson).secrets).keys -}}
{{- if eq .kind "credential" -}}
{{- $_ := set $keys .login .key -}}
{{- end -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{/*
iot-broker.v1.roleNames: the MQTT roles of the contract, space-separated, in its order.
*/}}
{{- define "iot-broker.v1.roleNames" -}}
{{- $names := list -}}
{{- range include "iot-broker.v1.roles" . | fromJsonArray -}}
{{- $names = append $names (index . 0) -}}
{{- end -}}
{{- join " " $names -}}
{{- end -}}

{{/*
iot-broker.v1.roleSecretSources: the projected-volume sources (JSON) that put each role's user name
and password, from its connection Secret ({name}-mqtt-secret, -mqtt-bridge-secret,
-mqtt-gateway-secret), at /mosquitto/roles/<role>/username and .../password. Only those two keys
are projected: the init container sees nothing else of the Secrets. Not optional: the chart
renders these Secrets itself, in the same release.
*/}}
{{- define "iot-broker.v1.roleSecretSources" -}}
{{- $root := . -}}
{{- $keys := include "iot-broker.v1.loginKeys" . | fromJson -}}
{{- $sources := list -}}
{{- range include "iot-broker.v1.roles" . | fromJsonArray -}}
{{- $role := index . 0 -}}
{{- $items := list (dict "key" $keys.username "path" (printf "%s/username" $role)) (dict "key" $keys.password "path" (printf "%s/password" $role)) -}}
{{- $sources = append $sources (dict "secret" (dict "name" (include "iot-broker.v1.objectName" (list $root (index . 1))) "items" $items)) -}}
{{- end -}}
{{- toJson $sources -}}
{{- end -}}

{{/*
iot-broker.v1.buildPasswordFile: the script of the broker pod's init container. It writes
Mosquitto's password file into a memory-backed emptyDir: each role's user (in the contract's
order), then each device, every password hashed here by the real mosquitto_passwd -U (`$7$`,
salted PBKDF2-SHA512 in Mosquitto 2.x, a fresh salt per user and start) from the Secret that holds
it. So no password is hashed by the template, and a device's password is read only inside this
pod: never by the chart, the Release or the Application. A role's user name and password are
taken byte for byte (applications get them from the same Secret); a device password's trailing
newlines are dropped (kubectl create secret --from-file keeps the file's). A user name that is
empty or holds ':' or a line break, and a password that is empty or holds a line break, are
refused, naming the role or device (the file has one `user:password` line per user). A password
changed in its Secret takes effect when the broker restarts (a role's: the chart's
checksum/passwd annotation does that).
Environment: ROLES_DIR, ROLES (role names), DEVICES_DIR, DEVICES (user names), OUTPUT,
MOSQUITTO_PASSWD.
*/}}
{{- define "iot-broker.v1.buildPasswordFile" -}}
#!/bin/sh
set -eu
die() {
  printf 'build-password-file: ERROR: %s\n' "$*" >&2
  exit 1
}
umask 077
plain="$OUTPUT.plain"
: >"$plain"
newline='
'
for role in $ROLES; do
  dir="$ROLES_DIR/$role"
  [ -r "$dir/username" ] || die "role $role: cannot read the user name of its Secret"
  [ -r "$dir/password" ] || die "role $role: cannot read the password of its Secret"
  # The "." keeps trailing newlines, which $(...) would drop: the password must match the Secret's.
  username=$(cat "$dir/username" && printf .)
  username=${username%.}
  password=$(cat "$dir/password" && printf .)
  password=${password%.}
  case $username in '' | *:* | *"$newline"*) die "role $role: the user name in its Secret is empty or holds ':' or a line break" ;; esac
  [ -n "$password" ] || die "role $role: the password in its Secret is empty"
  case $password in *"$newline"*) die "role $role: the password in its Secret holds a line break" ;; esac
  printf '%s:%s\n' "$username" "$password" >>"$plain"
done
device_count=0
for device in $DEVICES; do
  device_count=$((device_count + 1))
  file="$DEVICES_DIR/$device"
  [ -r "$file" ] || die "device $device: no password (the Secret key its mqttUsers passwordSecretRef names does not exist in this namespace)"
  password=$(cat "$file")
  [ -n "$password" ] || die "device $device: the password in its Secret is empty"
  case $password in *"$newline"*) die "device $device: the password in its Secret holds a line break" ;; esac
  printf '%s:%s\n' "$device" "$password" >>"$plain"
done
if [ -s "$plain" ]; then
  "${MOSQUITTO_PASSWD:-mosquitto_passwd}" -U "$plain" || die "mosquitto_passwd could not hash the passwords"
fi
mv "$plain" "$OUTPUT"
printf 'build-password-file: %s users (%s devices)\n' "$(grep -c . "$OUTPUT")" "$device_count"
{{- end -}}

{{/*
iot-broker.v1.aclFile: Mosquitto's acl_file: one `user` block per identity and nothing outside
them, so nobody reads `#`. The rules are the contract's (mqttRoleCatalog and deviceAclRules, in
files/contract.json), and the text is its renderMosquittoAcl's (a chart test compares them):
applications readwrite app/#; the bridge reads the gateways' topic and every device's own topic;
gateways write health/device_data for any deviceId; a device writes only
health/device_data/<its user name>.
*/}}
{{- define "iot-broker.v1.aclFile" -}}
{{- $credentials := include "iot-broker.v1.credentials" . | fromJson -}}
{{- $mqtt := (include "iot-broker.v1.contract" . | fromJson).mqtt -}}
# Mosquitto acl_file rendered from the platform contract (mqttRoleCatalog): nothing is
# granted outside these blocks.
{{- range $mqtt.roles }}

# role {{ .role }}
user {{ (get $credentials.roles .role).username }}
{{- range .rules }}
topic {{ .access }} {{ .topic }}
{{- end }}
{{- end }}
{{- range $device := $credentials.devices }}

# device
user {{ $device.username }}
{{- range $mqtt.deviceRules }}
topic {{ .access }} {{ .topic | replace "{device}" $device.username }}
{{- end }}
{{- end }}
{{ end -}}

{{/*
iot-broker.v1.roleSecretData: the data of a role's connection Secret as JSON, exactly the platform
contract's MQTT keys (secrets[0].keys of files/contract.json, generated from its secretCatalog):
endpoints from this broker's Service, its enabled flag ("true": the broker runs), the role's user
name and password. Call with (list $ "bridge").
*/}}
{{- define "iot-broker.v1.roleSecretData" -}}
{{- $root := index . 0 -}}
{{- $contract := include "iot-broker.v1.contract" $root | fromJson -}}
{{- $host := include "iot-broker.v1.host" $root -}}
{{- $user := get (include "iot-broker.v1.credentials" $root | fromJson).roles (index . 1) -}}
{{- $login := dict "username" $user.username "password" $user.password -}}
{{- $data := dict -}}
{{- range $key := (first $contract.secrets).keys -}}
{{- if eq $key.kind "setting" -}}
{{- if $key.flag -}}
{{- $_ := set $data $key.key "true" -}}
{{- else if hasKey $key "value" -}}
{{- $_ := set $data $key.key (toString $key.value) -}}
{{- else -}}
{{- fail (printf "iot-broker: %s follows a claim option, which this chart has not" $key.key) -}}
{{- end -}}
{{- else if eq $key.kind "credential" -}}
{{- $_ := set $data $key.key (get $login $key.login) -}}
{{- else if eq $key.kind "endpoint" -}}
{{- /* This chart is the contract's MQTT broker Service (`service` in files/contract.json). */ -}}
{{- $port := "" -}}
{{- range $key.services -}}
{{- if eq .service $contract.service -}}{{- $port = get (get $contract.ports $contract.service) .port | int | toString -}}{{- end -}}
{{- end -}}
{{- if eq $key.format "host" -}}
{{- $_ := set $data $key.key $host -}}
{{- else if and $port (eq $key.format "port") -}}
{{- $_ := set $data $key.key $port -}}
{{- else if and $port (eq $key.format "url") -}}
{{- $_ := set $data $key.key (printf "%s://%s:%s%s" $key.scheme $host $port ($key.path | default "")) -}}
{{- else -}}
{{- fail (printf "iot-broker: no rendering for %s (a %s endpoint)" $key.key $key.format) -}}
{{- end -}}
{{- else -}}
{{- fail (printf "iot-broker: no rendering for %s (%s)" $key.key $key.kind) -}}
{{- end -}}
{{- end -}}
{{- toJson $data -}}
{{- end -}}

{{/*
iot-broker.v1.secretData: the data of {name}-mqtt-secret (the applications' connection, app role)
as JSON.
*/}}
{{- define "iot-broker.v1.secretData" -}}
{{- include "iot-broker.v1.roleSecretData" (list . "app") -}}
{{- end -}}

{{/*
iot-broker.v1.roleSecretsData: the data of every role's connection Secret, one JSON object per
line in the contract's order: what the pod's checksum/passwd hashes, so that a rotated password
restarts the broker (whose init container hashes it) and an unchanged one restarts nothing.
*/}}
{{- define "iot-broker.v1.roleSecretsData" -}}
{{- range include "iot-broker.v1.roles" . | fromJsonArray -}}
{{ include "iot-broker.v1.roleSecretData" (list $ (index . 0)) }}
{{ end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- mosquitto.conf */}}

{{/*
iot-broker.v1.tlsPort: the MQTT over TLS port (the platform contract's mqttTlsPort), listened on
and published by the Service only when tls.enabled.
*/}}
{{- define "iot-broker.v1.tlsPort" -}}
{{- (include "iot-broker.v1.contract" . | fromJson).mqtt.tlsPort | int -}}
{{- end -}}

{{/*
iot-broker.v1.mosquittoConf: mosquitto.conf (https://mosquitto.org/man/mosquitto-conf-5.html).
Mosquitto 2.x listens on loopback only and accepts anonymous clients unless told otherwise, so
every listener is declared explicitly, anonymous access is off, the password and ACL files are
named; Nagle's algorithm is off (`set_tcp_nodelay`), which otherwise adds 40-200 ms to small
messages. The block after persistence_location is the platform contract's mosquittoSettingsConf
(the local harness runs the same lines; a chart test compares them).
*/}}
{{- define "iot-broker.v1.mosquittoConf" -}}
# mosquitto.conf rendered by the iot-broker chart for platform {{ .Values.name }}.
per_listener_settings false
allow_anonymous false
password_file /mosquitto/auth/passwd
acl_file /mosquitto/rendered/acl

listener {{ include "iot-broker.v1.mqttPort" . }}
protocol mqtt

listener {{ include "iot-broker.v1.websocketPort" . }}
protocol websockets
{{- if .Values.tls.enabled }}

listener {{ include "iot-broker.v1.tlsPort" . }}
protocol mqtt
certfile /mosquitto/tls/tls.crt
keyfile /mosquitto/tls/tls.key
{{- end }}

set_tcp_nodelay true

persistence_location /mosquitto/data/
persistence true
autosave_on_changes false
autosave_interval {{ .Values.config.autosaveInterval }}
max_inflight_messages {{ .Values.config.maxInflightMessages }}
max_queued_messages {{ .Values.config.maxQueuedMessages }}
max_queued_bytes {{ .Values.config.maxQueuedBytes | int64 }}
queue_qos0_messages false
max_packet_size {{ .Values.config.maxPacketSize }}
{{- with .Values.config.persistentClientExpiration }}
persistent_client_expiration {{ . }}
{{- end }}

log_dest stdout
{{- range .Values.config.logTypes }}
log_type {{ . }}
{{- end }}
log_timestamp_format %Y-%m-%dT%H:%M:%S
{{- with .Values.config.extra }}

# config.extra
{{- range . }}
{{ . }}
{{- end }}
{{- end }}
{{ end -}}

{{/* ---------------------------------------------------------------- validation */}}

{{/*
iot-broker.v1.validateValues: gathers every problem with the values into one `fail`.
values.schema.json checks types and patterns when the chart is installed alone; this repeats the
checks that matter when a parent chart builds the values, and checks relations between values.
*/}}
{{- define "iot-broker.v1.validateValues" -}}
{{- $problems := list -}}
{{- $name := .Values.name | default "" -}}
{{- if not $name -}}
{{- $problems = append $problems "name: give the platform name, e.g. --set name=health-data (objects are named {name}-mqtt, {name}-mqtt-secret, ...)." -}}
{{- else if or (not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name)) (gt (len $name) 41) -}}
{{- $problems = append $problems (printf "name: %q must be a DNS-1035 label (lowercase letters, digits, '-', starting with a letter) of at most 41 characters." $name) -}}
{{- end -}}
{{- $seen := dict -}}
{{- range $index, $user := .Values.auth.users -}}
{{- if not (regexMatch "^[^:\\s]+$" ($user.username | default "")) -}}
{{- $problems = append $problems (printf "auth.users[%d].username: %q must be non-empty without ':' or white space (Mosquitto's password file is user:hash lines)." $index ($user.username | default "")) -}}
{{- else if hasKey $seen $user.username -}}
{{- $problems = append $problems (printf "auth.users[%d].username: %q appears twice." $index $user.username) -}}
{{- end -}}
{{- $_ := set $seen ($user.username | default "") true -}}
{{- if hasKey $user "password" -}}
{{- $problems = append $problems (printf "auth.users[%d].password is refused: a device password in the values travels in clear into the release (and a claim's Release and Application); put it in a Secret of this namespace and give passwordSecretRef: {name, key}." $index) -}}
{{- else if not (and $user.passwordSecretRef $user.passwordSecretRef.name $user.passwordSecretRef.key) -}}
{{- $problems = append $problems (printf "auth.users[%d].passwordSecretRef: name the Secret and key holding the device's password, e.g. {name: devices, key: %s}." $index ($user.username | default "<username>")) -}}
{{- end -}}
{{- end -}}
{{- range $index, $user := .Values.auth.users -}}
{{- if regexMatch "[/+#]" ($user.username | default "") -}}
{{- $problems = append $problems (printf "auth.users[%d].username: %q is a device's name and a topic level (health/device_data/<name>): no '/', '+' or '#'." $index $user.username) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.tls.enabled (not .Values.tls.existingSecret) -}}
{{- $problems = append $problems "tls.existingSecret: name the Secret (type kubernetes.io/tls, keys tls.crt and tls.key; e.g. from cert-manager) whose certificate the TLS listener presents." -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\niot-broker: the values need changes:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- objects */}}

{{/*
iot-broker.v1.configMap: mosquitto.conf.
*/}}
{{- define "iot-broker.v1.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "iot-broker.v1.configMapName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
data:
  mosquitto.conf: |
    {{- include "iot-broker.v1.mosquittoConf" . | nindent 4 }}
  build-password-file.sh: |
    {{- include "iot-broker.v1.buildPasswordFile" . | nindent 4 }}
{{- end -}}

{{/*
iot-broker.v1.passwordFileSecret: the ACL file (the password file itself is built in the pod by
buildPasswordFile). A Secret: the ACL lists every user and device.
*/}}
{{- define "iot-broker.v1.passwordFileSecret" -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "iot-broker.v1.passwordFileSecretName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
type: Opaque
data:
  acl: {{ include "iot-broker.v1.aclFile" . | b64enc | quote }}
{{- end -}}

{{/*
iot-broker.v1.roleSecret: a role's connection Secret (the contract's MQTT keys with that role's
user): {name}-mqtt-secret for applications, {name}-mqtt-bridge-secret, {name}-mqtt-gateway-secret.
Call with (list $ "bridge").
*/}}
{{- define "iot-broker.v1.roleSecret" -}}
{{- $root := index . 0 -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "iot-broker.v1.roleSecretName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" $root | nindent 4 }}
type: Opaque
data:
  {{- range $key, $value := include "iot-broker.v1.roleSecretData" . | fromJson }}
  {{ $key }}: {{ $value | b64enc | quote }}
  {{- end }}
{{- end -}}

{{/*
iot-broker.v1.secret: {name}-mqtt-secret, the platform contract's MQTT connection Secret for
applications (the app role).
*/}}
{{- define "iot-broker.v1.secret" -}}
{{- include "iot-broker.v1.roleSecret" (list . "app") -}}
{{- end -}}

{{/*
iot-broker.v1.service: {name}-mqtt with the contract's port names and numbers.
*/}}
{{- define "iot-broker.v1.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "iot-broker.v1.serviceName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "iot-broker.v1.selectorLabels" . | nindent 4 }}
  ports:
    - name: mqtt
      port: {{ include "iot-broker.v1.mqttPort" . }}
      targetPort: mqtt
      protocol: TCP
    - name: websocket
      port: {{ include "iot-broker.v1.websocketPort" . }}
      targetPort: websocket
      protocol: TCP
    {{- if .Values.tls.enabled }}
    - name: mqtts
      port: {{ include "iot-broker.v1.tlsPort" . }}
      targetPort: mqtts
      protocol: TCP
    {{- end }}
{{- end -}}

{{/*
iot-broker.v1.serviceAccount: the broker's identity (no API token is mounted).
*/}}
{{- define "iot-broker.v1.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "iot-broker.v1.serviceName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}

{{/*
iot-broker.v1.networkPolicy: only the MQTT, WebSocket (and TLS) ports are reachable (from anywhere when
networkPolicy.allowExternal, otherwise from this namespace and networkPolicy.extraIngress), and
the broker may open no connection at all: it has no bridges and needs no DNS.
*/}}
{{- define "iot-broker.v1.networkPolicy" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "iot-broker.v1.serviceName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "iot-broker.v1.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: {{ include "iot-broker.v1.mqttPort" . }}
          protocol: TCP
        - port: {{ include "iot-broker.v1.websocketPort" . }}
          protocol: TCP
        {{- if .Values.tls.enabled }}
        - port: {{ include "iot-broker.v1.tlsPort" . }}
          protocol: TCP
        {{- end }}
      {{- if not .Values.networkPolicy.allowExternal }}
      from:
        - podSelector: {}
        {{- with .Values.networkPolicy.extraIngress }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
  egress: []
{{- end -}}

{{/*
iot-broker.v1.statefulSet: one Mosquitto (it does not cluster) with its data on a volume.
*/}}
{{- define "iot-broker.v1.statefulSet" -}}
{{- include "iot-broker.v1.validateValues" . -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "iot-broker.v1.serviceName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
spec:
  replicas: 1
  serviceName: {{ include "iot-broker.v1.serviceName" . }}
  selector:
    matchLabels:
      {{- include "iot-broker.v1.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "iot-broker.v1.podLabels" . | nindent 8 }}
      annotations:
        # Only the files' contents are hashed: a label or annotation change restarts nothing.
        checksum/config: {{ include "iot-broker.v1.mosquittoConf" . | sha256sum }}
        # The roles' Secrets (a rotated password must reach the password file the pod builds), the
        # ACL and the devices' Secret references.
        checksum/passwd: {{ printf "%s\n%s\n%s" (include "iot-broker.v1.roleSecretsData" .) (include "iot-broker.v1.aclFile" .) (include "iot-broker.v1.deviceSecretSources" .) | sha256sum }}
        checksum/script: {{ include "iot-broker.v1.buildPasswordFile" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ if .Values.serviceAccount.create }}{{ include "iot-broker.v1.serviceName" . }}{{ else }}default{{ end }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      securityContext:
        {{- include "common.v1.securityContext.pod" (dict "values" .Values.podSecurityContext) | nindent 8 }}
      initContainers:
        # Mosquitto's password file: the roles' and the devices' passwords from their Secrets, hashed
        # by mosquitto_passwd.
        - name: password-file
          image: {{ include "iot-broker.v1.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          command: ["/bin/sh", "/mosquitto/config/build-password-file.sh"]
          env:
            - name: ROLES_DIR
              value: /mosquitto/roles
            - name: ROLES
              value: {{ include "iot-broker.v1.roleNames" . | quote }}
            - name: DEVICES_DIR
              value: /mosquitto/devices
            - name: DEVICES
              value: {{ include "iot-broker.v1.deviceNames" . | quote }}
            - name: OUTPUT
              value: /mosquitto/auth/passwd
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "common.v1.securityContext.container" .Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /mosquitto/config
              readOnly: true
            - name: roles
              mountPath: /mosquitto/roles
              readOnly: true
            - name: devices
              mountPath: /mosquitto/devices
              readOnly: true
            - name: auth
              mountPath: /mosquitto/auth
      containers:
        - name: mosquitto
          image: {{ include "iot-broker.v1.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          command: ["/usr/sbin/mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]
          ports:
            - name: mqtt
              containerPort: {{ include "iot-broker.v1.mqttPort" . }}
              protocol: TCP
            - name: websocket
              containerPort: {{ include "iot-broker.v1.websocketPort" . }}
              protocol: TCP
            {{- if .Values.tls.enabled }}
            - name: mqtts
              containerPort: {{ include "iot-broker.v1.tlsPort" . }}
              protocol: TCP
            {{- end }}
          {{- if .Values.startupProbe.enabled }}
          startupProbe:
            tcpSocket:
              port: mqtt
            periodSeconds: {{ .Values.startupProbe.periodSeconds }}
            timeoutSeconds: {{ .Values.startupProbe.timeoutSeconds }}
            failureThreshold: {{ .Values.startupProbe.failureThreshold }}
          {{- end }}
          {{- if .Values.livenessProbe.enabled }}
          livenessProbe:
            tcpSocket:
              port: mqtt
            periodSeconds: {{ .Values.livenessProbe.periodSeconds }}
            timeoutSeconds: {{ .Values.livenessProbe.timeoutSeconds }}
            failureThreshold: {{ .Values.livenessProbe.failureThreshold }}
          {{- end }}
          {{- if .Values.readinessProbe.enabled }}
          readinessProbe:
            tcpSocket:
              port: mqtt
            periodSeconds: {{ .Values.readinessProbe.periodSeconds }}
            timeoutSeconds: {{ .Values.readinessProbe.timeoutSeconds }}
            failureThreshold: {{ .Values.readinessProbe.failureThreshold }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "common.v1.securityContext.container" .Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /mosquitto/config
              readOnly: true
            - name: auth
              mountPath: /mosquitto/auth
              readOnly: true
            - name: rendered
              mountPath: /mosquitto/rendered
              readOnly: true
            {{- if .Values.tls.enabled }}
            - name: tls
              mountPath: /mosquitto/tls
              readOnly: true
            {{- end }}
            - name: data
              mountPath: /mosquitto/data
      volumes:
        - name: config
          configMap:
            name: {{ include "iot-broker.v1.configMapName" . }}
            items:
              - key: mosquitto.conf
                path: mosquitto.conf
              - key: build-password-file.sh
                path: build-password-file.sh
        - name: rendered
          secret:
            secretName: {{ include "iot-broker.v1.passwordFileSecretName" . }}
            # Owner root, group fsGroup: readable by Mosquitto only.
            defaultMode: 288 # 0440: read-only for owner and group
            items:
              - key: acl
                path: acl
        # The roles' user names and passwords, from their connection Secrets (only those keys).
        - name: roles
          projected:
            defaultMode: 288 # 0440: read-only for owner and group
            sources: {{ include "iot-broker.v1.roleSecretSources" . }}
        # The devices' passwords, one file per device, from the Secrets their mqttUsers name.
        - name: devices
          projected:
            defaultMode: 288 # 0440: read-only for owner and group
            sources: {{ include "iot-broker.v1.deviceSecretSources" . }}
        # The password file the init container builds: in memory, never on a disk.
        - name: auth
          emptyDir:
            medium: Memory
            sizeLimit: 16Mi
        {{- if .Values.tls.enabled }}
        - name: tls
          secret:
            secretName: {{ .Values.tls.existingSecret }}
            defaultMode: 288 # 0440: the key readable by Mosquitto's group only
            items:
              - key: tls.crt
                path: tls.crt
              - key: tls.key
                path: tls.key
        {{- end }}
        {{- if not .Values.persistence.enabled }}
        - name: data
          emptyDir: {}
        {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
  {{- if .Values.persistence.enabled }}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          {{- include "iot-broker.v1.selectorLabels" . | nindent 10 }}
      spec:
        accessModes:
          {{- toYaml .Values.persistence.accessModes | nindent 10 }}
        {{- with .Values.persistence.storageClass }}
        storageClassName: {{ . }}
        {{- end }}
        resources:
          requests:
            storage: {{ .Values.persistence.size }}
  {{- end }}
{{- end -}}

{{/*
iot-broker.v1.manifests: every object of the broker as one YAML stream; what a parent chart
renders (the standalone chart renders the same objects from one template file each).
*/}}
{{- define "iot-broker.v1.manifests" -}}
{{ include "iot-broker.v1.statefulSet" . }}
---
{{ include "iot-broker.v1.service" . }}
---
{{ include "iot-broker.v1.configMap" . }}
---
{{ include "iot-broker.v1.passwordFileSecret" . }}
{{- range include "iot-broker.v1.roles" . | fromJsonArray }}
---
{{ include "iot-broker.v1.roleSecret" (list $ (index . 0)) }}
{{- end }}
{{- if .Values.serviceAccount.create }}
---
{{ include "iot-broker.v1.serviceAccount" . }}
{{- end }}
{{- if .Values.networkPolicy.enabled }}
---
{{ include "iot-broker.v1.networkPolicy" . }}
{{- end }}
{{- if .Values.podDisruptionBudget.enabled }}
---
{{ include "iot-broker.v1.podDisruptionBudget" . }}
{{- end }}
{{- end -}}

{{/*
iot-broker.v1.podDisruptionBudget: at most maxUnavailable broker pods away in a voluntary
disruption (a drain, a cluster upgrade). With one replica a drain may still proceed: the devices'
QoS 1 publishes wait in their clients and the persistent sessions survive on the volume.
*/}}
{{- define "iot-broker.v1.podDisruptionBudget" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "iot-broker.v1.serviceName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "iot-broker.v1.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "iot-broker.v1.selectorLabels" . | nindent 6 }}
{{- end -}}
