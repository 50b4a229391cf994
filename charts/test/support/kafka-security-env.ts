// The contract's Kafka security as the chart hands it to its Kafka scripts (ensure-topics.sh,
// ensure-acls.sh, ensure-scram-users.sh, start-kafka-node.sh): SECURITY_PROTOCOL and SASL_MECHANISM,
// set from kafkaSecurity in files/contract.json. The scripts type neither, so a test that runs one
// for real gives it these from the rendered container, as the pod would.
import { envOf, type Container } from './render-chart.js';

export const kafkaSecurityVariables = ['SECURITY_PROTOCOL', 'SASL_MECHANISM'] as const;

/** SECURITY_PROTOCOL and SASL_MECHANISM as the rendered container gets them; throws when missing. */
export function kafkaSecurityEnv(container: Container): Record<string, string> {
  return Object.fromEntries(
    kafkaSecurityVariables.map((name) => {
      const { value } = envOf(container, name);
      if (value === undefined) throw new Error(`container ${container.name}: ${name} has no value`);
      return [name, value];
    }),
  );
}
