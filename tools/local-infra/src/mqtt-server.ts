import type { MqttRole } from '@realtime-platform/platform-contract';
import type { MqttUser } from './mosquitto-broker.js';

/** What the platform needs from an MQTT broker on loopback: Mosquitto, or the embedded fallback. */
export interface MqttServer {
  readonly kind: 'mosquitto' | 'embedded-aedes';
  readonly host: string;
  readonly mqttPort: number;
  readonly wsPort: number;
  readonly mqttUrl: string;
  readonly wsUrl: string;
  /** The applications' user (the `app` role): what `{name}-mqtt-secret` carries. */
  readonly user: MqttUser;
  /** One generated user per role of the contract (app, bridge, gateway). */
  readonly credentials: Readonly<Record<MqttRole, MqttUser>>;
  readonly runDir: string;
  readonly logFile: string;
  /** The broker's process; undefined for the embedded broker (it runs in this process). */
  readonly pid?: number | undefined;
  stop(): Promise<void>;
}
