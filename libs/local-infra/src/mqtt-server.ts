import type { MqttUser } from './mosquitto-broker.js';

/** What the platform needs from an MQTT broker on loopback: Mosquitto, or the embedded fallback. */
export interface MqttServer {
  readonly kind: 'mosquitto' | 'embedded-aedes';
  readonly host: string;
  readonly mqttPort: number;
  readonly wsPort: number;
  readonly mqttUrl: string;
  readonly wsUrl: string;
  readonly user: MqttUser;
  readonly runDir: string;
  readonly logFile: string;
  stop(): Promise<void>;
}
