import { describe, expect, it } from '@jest/globals';
import { renderCueClaimSpec, renderCueImports, renderCueParameter } from '../src/index.js';

describe('renderCueParameter', () => {
  it('renders the realtime-platform parameter block', () => {
    expect(renderCueParameter().text).toBe(
      [
        'parameter: {',
        '\t// +usage=Name of the real-time system; every Service and Secret is named {name}-<part>. A DNS-1035 label of at most 41 characters.',
        '\tname: string & =~"^[a-z]([-a-z0-9]*[a-z0-9])?$" & strings.MaxRunes(41)',
        "\t// +usage=Database type for the applications' storage ({name}-db-secret): postgres, mysql (MySQL 8.4) or mongodb (MongoDB 7.0, authentication on). The platform's own databases (Lenses HQ and Agent, Metabase's application database) stay on PostgreSQL whatever this says.",
        '\tdatabase: *"postgres" | "postgres" | "mysql" | "mongodb"',
        '\t// +usage=Analytics dashboard platform.',
        '\tvisualization: *"metabase" | "metabase" | "grafana"',
        '\t// +usage=Enable the MQTT IoT broker (Mosquitto) and the MQTT to Kafka bridge.',
        '\tiot: *true | bool',
        '\t// +usage=Stream processing engine: builtin needs no licence; lenses runs Lenses HQ + Agent and needs a Lenses licence configured by the platform engineer.',
        '\tstreamProcessing: *"builtin" | "builtin" | "lenses"',
        '\t// +usage=Kafka brokers: 1 (development: one copy of every record) or 3 (production: replication factor 3, min.insync.replicas 2, so one broker may fail or be drained without losing an acknowledged record).',
        '\tkafkaBrokers: *1 | 1 | 3',
        '\t// +usage=MQTT users of devices, user name = deviceId: each may publish only its own readings (health/device_data/<username>). Applications get a generated user of their own in {name}-mqtt-secret.',
        '\tmqttUsers?: [...{',
        '\t\t// +usage=MQTT user name: the deviceId, one topic level (no colon, white space, "/", "+" or "#").',
        '\t\tusername: string & =~"^[^:\\\\s/+#]+$"',
        "\t\t// +usage=The device's password: a key of a Secret in the claim namespace, read only by the broker's pod (never by the claim, the Release or the Application).",
        '\t\tpasswordSecretRef: {',
        '\t\t\t// +usage=Secret name.',
        '\t\t\tname: string & =~"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" & strings.MaxRunes(253)',
        '\t\t\t// +usage=Key of the Secret holding the password.',
        '\t\t\tkey: string & =~"^[-._a-zA-Z0-9]+$" & strings.MaxRunes(253)',
        '\t\t}',
        '\t\t// +usage=Refused: passwords are never given in the claim; use passwordSecretRef.',
        '\t\tpassword?: string',
        '\t}]',
        '\t// +usage=Data retention period of the Kafka topics: a number and d (days), w (weeks) or m (months of 30 days), e.g. 7d, 30d, 6m.',
        '\tdataRetention: *"7d" | string & =~"^[0-9]+[dwm]$"',
        '\t// +usage=Replica bounds of the scalable parts (stream processing, realtime services).',
        '\tscaling?: {',
        '\t\t// +usage=Minimum replicas.',
        '\t\tminReplicas: *1 | int & >=1',
        '\t\t// +usage=Maximum replicas (at least minReplicas).',
        '\t\tmaxReplicas: *5 | int & >=1',
        '\t}',
        '\t// +usage=Snowflake sink of the vital-sign topics and Metabase data source.',
        '\tsnowflake?: {',
        '\t\t// +usage=Enable the Snowflake sink.',
        '\t\tenabled: *false | bool',
        '\t\t// +usage=Secret in the claim namespace with the Snowflake key pair (keys: see the platform contract).',
        '\t\tcredentialsSecret?: string & =~"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" & strings.MaxRunes(253)',
        '\t}',
        '\t// +usage=Extra Kafka topics, or overrides of the default topics partitions and retention; each gets a <name>.dlq.',
        '\ttopics?: [...{',
        '\t\t// +usage=Kafka topic name.',
        '\t\tname: string & =~"^[a-zA-Z0-9][a-zA-Z0-9._-]*$" & strings.MaxRunes(245)',
        '\t\t// +usage=Number of partitions.',
        '\t\tpartitions: *6 | int & >=1',
        '\t\t// +usage=Retention of this topic (default: dataRetention).',
        '\t\tretention?: string & =~"^[0-9]+[dwm]$"',
        '\t}] & list.MaxItems(100)',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('reports the packages it uses', () => {
    expect(renderCueParameter().imports).toEqual(['list', 'strings']);
  });
});

describe('renderCueClaimSpec', () => {
  it('forwards every parameter, the optional ones only when set', () => {
    expect(renderCueClaimSpec().text).toBe(
      [
        'spec: {',
        '\tname:             parameter.name',
        '\tdatabase:         parameter.database',
        '\tvisualization:    parameter.visualization',
        '\tiot:              parameter.iot',
        '\tstreamProcessing: parameter.streamProcessing',
        '\tkafkaBrokers:     parameter.kafkaBrokers',
        '\tif parameter.mqttUsers != _|_ {',
        '\t\tmqttUsers: parameter.mqttUsers',
        '\t}',
        '\tdataRetention: parameter.dataRetention',
        '\tif parameter.scaling != _|_ {',
        '\t\tscaling: parameter.scaling',
        '\t}',
        '\tif parameter.snowflake != _|_ {',
        '\t\tsnowflake: parameter.snowflake',
        '\t}',
        '\tif parameter.topics != _|_ {',
        '\t\ttopics: parameter.topics',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('renderCueImports', () => {
  it('writes one import clause for all snippets, or nothing', () => {
    expect(renderCueImports(renderCueParameter(), renderCueClaimSpec())).toBe(
      'import (\n\t"list"\n\t"strings"\n)\n',
    );
    expect(renderCueImports(renderCueClaimSpec())).toBe('');
  });
});
