import { describe, expect, it } from '@jest/globals';
import {
  deviceIdOfTopic,
  deviceMqttTopic,
  deviceReadingsTopic,
  mosquittoBrokerSettings,
  mosquittoSettingsConf,
  mqttAccessAllows,
  mqttOutagePlan,
  mqttRoleCatalog,
  mqttTopicMatchesFilter,
  renderMosquittoAcl,
  secretDefinition,
  type MqttIdentity,
} from '../../src/index.js';

const app: MqttIdentity = { kind: 'role', role: 'app', username: 'app-1' };
const bridge: MqttIdentity = { kind: 'role', role: 'bridge', username: 'bridge-1' };
const gateway: MqttIdentity = { kind: 'role', role: 'gateway', username: 'gateway-1' };
const device: MqttIdentity = { kind: 'device', username: 'monitor-7' };
const everyone = [app, bridge, gateway, device];

describe('mqttRoleCatalog', () => {
  it("gives the app role the contract's own mqtt secret and every other role a secret of its own", () => {
    expect(mqttRoleCatalog.find((r) => r.role === 'app')?.secretSuffix).toBe(
      secretDefinition('mqtt').suffix,
    );
    const suffixes = mqttRoleCatalog.map((r) => r.secretSuffix);
    expect(new Set(suffixes).size).toBe(suffixes.length);
  });

  it('grants nobody read access to every topic (#) or to $SYS', () => {
    for (const identity of everyone) {
      expect(mqttAccessAllows(identity, 'read', 'some/other/topic')).toBe(false);
      expect(mqttAccessAllows(identity, 'read', '$SYS/broker/clients')).toBe(false);
    }
  });

  it('lets only the bridge read readings, on the gateway topic and on every device topic', () => {
    for (const topic of [deviceMqttTopic, deviceReadingsTopic('monitor-7')]) {
      expect(everyone.filter((who) => mqttAccessAllows(who, 'read', topic))).toEqual([bridge]);
    }
  });

  it('lets the bridge write nothing', () => {
    for (const topic of [deviceMqttTopic, deviceReadingsTopic('x'), 'app/x'])
      expect(mqttAccessAllows(bridge, 'write', topic)).toBe(false);
  });

  it('binds a device to its own topic: not another device, not the gateway topic', () => {
    expect(mqttAccessAllows(device, 'write', deviceReadingsTopic('monitor-7'))).toBe(true);
    expect(mqttAccessAllows(device, 'write', deviceReadingsTopic('monitor-8'))).toBe(false);
    expect(mqttAccessAllows(device, 'write', deviceMqttTopic)).toBe(false);
  });

  it('keeps applications in app/#', () => {
    expect(mqttAccessAllows(app, 'write', 'app/orders/1')).toBe(true);
    expect(mqttAccessAllows(app, 'read', 'app/orders/1')).toBe(true);
    expect(mqttAccessAllows(app, 'write', deviceMqttTopic)).toBe(false);
    expect(mqttAccessAllows(app, 'read', deviceReadingsTopic('monitor-7'))).toBe(false);
  });
});

describe('renderMosquittoAcl', () => {
  it('writes one user block per identity and nothing outside the blocks', () => {
    const acl = renderMosquittoAcl(everyone);
    const lines = acl.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).toEqual([
      'user app-1',
      'topic readwrite app/#',
      'user bridge-1',
      'topic read health/device_data',
      'topic read health/device_data/+',
      'user gateway-1',
      'topic write health/device_data',
      'user monitor-7',
      'topic write health/device_data/monitor-7',
    ]);
    expect(acl).not.toMatch(/^pattern /m);
  });

  it.each([
    ['a colon', { kind: 'device', username: 'a:b' }],
    ['white space', { kind: 'role', role: 'app', username: 'a b' }],
    ['a topic separator in a device name', { kind: 'device', username: 'ward/7' }],
    ['a wildcard in a device name', { kind: 'device', username: 'monitor+' }],
    ['nothing', { kind: 'device', username: '' }],
  ] as const)('refuses a user name with %s', (_case, identity) => {
    expect(() => renderMosquittoAcl([identity])).toThrow(
      expect.objectContaining({ code: 'RTP_ERR_CONTRACT_MQTT_USERNAME_INVALID' }),
    );
  });
});

describe('device topics', () => {
  it('names the device of its own topic and no device for anything else', () => {
    expect(deviceIdOfTopic(deviceReadingsTopic('monitor-7'))).toBe('monitor-7');
    expect(deviceIdOfTopic(deviceMqttTopic)).toBeUndefined();
    expect(deviceIdOfTopic(`${deviceMqttTopic}/`)).toBeUndefined();
    expect(deviceIdOfTopic(`${deviceMqttTopic}/a/b`)).toBeUndefined();
  });

  it('matches filters level by level', () => {
    expect(mqttTopicMatchesFilter('a/+', 'a/b')).toBe(true);
    expect(mqttTopicMatchesFilter('a/+', 'a/b/c')).toBe(false);
    expect(mqttTopicMatchesFilter('a/#', 'a/b/c')).toBe(true);
    expect(mqttTopicMatchesFilter('a/#', 'a')).toBe(true);
    expect(mqttTopicMatchesFilter('a', 'a/b')).toBe(false);
    expect(mqttTopicMatchesFilter('#', '$SYS/broker/load')).toBe(false);
    expect(mqttTopicMatchesFilter('$SYS/#', '$SYS/broker/load')).toBe(true);
  });
});

describe('mosquittoBrokerSettings', () => {
  it('queues the whole planned outage for one bridge session', () => {
    const planned = mqttOutagePlan.outageSeconds * mqttOutagePlan.readingsPerSecond;
    expect(planned).toBe(300_000);
    expect(mosquittoBrokerSettings.maxQueuedMessages).toBeGreaterThanOrEqual(planned);
    expect(mosquittoBrokerSettings.maxQueuedBytes).toBeGreaterThanOrEqual(planned * 300);
  });

  it('renders time-based autosave (never one save per change) and a packet limit', () => {
    const conf = mosquittoSettingsConf(mosquittoBrokerSettings);
    expect(conf).toContain('autosave_on_changes false');
    expect(conf).toContain('autosave_interval 2');
    expect(conf).toContain('max_packet_size 16384');
    expect(conf).toContain('max_inflight_messages 10000');
  });
});
