export { MqttBus, type MqttHandler, type MqttMessage } from './mqtt-bus.client.js';
export {
  defaultMqttBusOptions,
  mqttBusOptionsSchema,
  resolveMqttBusOptions,
  type MqttBusInput,
  type MqttBusOptions,
  type MqttQos,
} from './mqtt.options.js';
export { mqttTopicMatches } from './mqtt-topic.matcher.js';
