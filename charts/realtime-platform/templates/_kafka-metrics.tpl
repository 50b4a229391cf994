{{/*
Kafka's JMX metrics (metrics.kafka): the broker's and Connect's JVMs open JMX on the pod's
loopback only, and one Prometheus JMX exporter per JVM (the standalone jmx_prometheus_httpserver,
run on the Kafka image's Java) reads it and serves /metrics. A java agent cannot be used in the
fast-data-dev pod: its broker, Connect and the postStart hook's Kafka tools all start through
kafka-run-class with the same KAFKA_OPTS, so one agent port would be bound by every JVM.
*/}}

{{/* realtime-platform.v1.kafkaMetrics: "true" when metrics.kafka.enabled. */}}
{{- define "realtime-platform.v1.kafkaMetrics" -}}
{{- if .Values.metrics.kafka.enabled -}}
true
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaJmxOptions: the JVM options of every Kafka JVM of the pod (kafka-run-class
adds -Dcom.sun.management.jmxremote.port/rmi.port from each program's JMX_PORT): JMX and its RMI
registry bound to 127.0.0.1, so only the pod's own processes (the exporters) reach it.
*/}}
{{- define "realtime-platform.v1.kafkaJmxOptions" -}}
-Dcom.sun.management.jmxremote=true -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false -Dcom.sun.management.jmxremote.local.only=true -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1
{{- end -}}

{{/*
realtime-platform.v1.kafkaMetricsEnv: the Kafka container's environment for the exporters:
fast-data-dev's JMX ports of the broker and Connect (its DISABLE_JMX would make them ephemeral)
and the loopback JMX options for each of its JVMs.
*/}}
{{- define "realtime-platform.v1.kafkaMetricsEnv" -}}
{{- $jmx := include "realtime-platform.v1.kafkaJmxOptions" . -}}
- name: BROKER_JMX_PORT
  value: {{ .Values.metrics.kafka.jmxPorts.broker | quote }}
- name: CONNECT_JMX_PORT
  value: {{ .Values.metrics.kafka.jmxPorts.connect | quote }}
{{- range $variable := list "KAFKA_JMX_OPTS" "BROKER_JMX_OPTS" "CONNECT_JMX_OPTS" "SCHEMA_REGISTRY_JMX_OPTS" }}
- name: {{ $variable }}
  value: {{ $jmx | quote }}
{{- end }}
{{- end -}}

{{/* realtime-platform.v1.kafkaMetricsInitContainer: downloads the exporter jar (SHA-256 checked). */}}
{{- define "realtime-platform.v1.kafkaMetricsInitContainer" -}}
- name: jmx-exporter-setup
  image: {{ include "realtime-platform.v1.image" .Values.jobs.image }}
  imagePullPolicy: {{ .Values.jobs.image.pullPolicy }}
  command: ["/bin/sh", "/scripts/fetch-jmx-exporter.sh"]
  env:
    - name: JAR_URL
      value: {{ .Values.metrics.kafka.exporter.url | quote }}
    - name: JAR_SHA256
      value: {{ .Values.metrics.kafka.exporter.sha256 | quote }}
    - name: JAR_PATH
      value: /opt/jmx-exporter/jmx_prometheus_httpserver.jar
  resources:
    {{- toYaml .Values.jobs.resources | nindent 4 }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    {{- include "realtime-platform.v1.containerSecurityContext" . | nindent 4 }}
  volumeMounts:
    - name: jmx-exporter-scripts
      mountPath: /scripts
      readOnly: true
    - name: jmx-exporter
      mountPath: /opt/jmx-exporter
{{- end -}}

{{/*
realtime-platform.v1.kafkaMetricsJvms: the JVMs with an exporter, per pod component, as JSON:
fast-data-dev's one pod runs the broker and Connect; with platform.kafkaBrokers: 3 each broker pod
(kafka-cluster.yaml) runs one broker and the kafka-services pod runs Connect.
*/}}
{{- define "realtime-platform.v1.kafkaMetricsJvms" -}}
{{- if include "realtime-platform.v1.kafkaCluster" . -}}
{{- toJson (dict "kafka" (list "broker") "kafka-services" (list "connect")) -}}
{{- else -}}
{{- toJson (dict "kafka" (list "broker" "connect")) -}}
{{- end -}}
{{- end -}}

{{/*
realtime-platform.v1.kafkaMetricsContainers: one exporter per JVM, as (list $ (list "broker" ...)).
*/}}
{{- define "realtime-platform.v1.kafkaMetricsContainers" -}}
{{- $ := index . 0 -}}
{{- range $jvm := index . 1 }}
- name: jmx-exporter-{{ $jvm }}
  image: {{ include "realtime-platform.v1.image" $.Values.kafka.image }}
  imagePullPolicy: {{ $.Values.kafka.image.pullPolicy }}
  command: ["/bin/sh", "-c"]
  args:
    - exec java $(EXPORTER_HEAP_OPTS) -jar /opt/jmx-exporter/jmx_prometheus_httpserver.jar {{ index $.Values.metrics.kafka.ports $jvm }} /etc/jmx-exporter/{{ $jvm }}.yaml
  env:
    - name: EXPORTER_HEAP_OPTS
      value: {{ $.Values.metrics.kafka.exporter.heapOpts | quote }}
  ports:
    - name: jmx-{{ $jvm }}
      containerPort: {{ index $.Values.metrics.kafka.ports $jvm }}
      protocol: TCP
  readinessProbe:
    tcpSocket:
      port: jmx-{{ $jvm }}
    periodSeconds: 10
    timeoutSeconds: 3
  resources:
    {{- toYaml $.Values.metrics.kafka.exporter.resources | nindent 4 }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    {{- include "realtime-platform.v1.containerSecurityContext" $ | nindent 4 }}
  volumeMounts:
    - name: jmx-exporter
      mountPath: /opt/jmx-exporter
      readOnly: true
    - name: jmx-exporter-config
      mountPath: /etc/jmx-exporter
      readOnly: true
    - name: jmx-exporter-tmp
      mountPath: /tmp
{{- end }}
{{- end -}}

{{/* realtime-platform.v1.kafkaMetricsVolumes: the jar, its configuration and the fetch script. */}}
{{- define "realtime-platform.v1.kafkaMetricsVolumes" -}}
- name: jmx-exporter
  emptyDir:
    sizeLimit: 16Mi
- name: jmx-exporter-tmp
  emptyDir:
    sizeLimit: 16Mi
- name: jmx-exporter-config
  configMap:
    name: {{ include "realtime-platform.v1.objectName" (list . "kafka-jmx-exporter") }}
- name: jmx-exporter-scripts
  configMap:
    name: {{ include "realtime-platform.v1.objectName" (list . "scripts") }}
    defaultMode: 365 # 0555
    items:
      - key: fetch-jmx-exporter.sh
        path: fetch-jmx-exporter.sh
{{- end -}}
