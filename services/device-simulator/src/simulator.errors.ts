import { defineErrors } from '@realtime-platform/errors';

/** The coded errors of the device-simulator (`RTP_ERR_SIMULATOR_*`). */
export const simulatorErrors = defineErrors('RTP_ERR_SIMULATOR', {
  OPTIONS_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `simulation options are invalid:\n${p.problems.map((problem) => `  - ${problem}`).join('\n')}`,
  },
  ARGUMENT_INVALID: {
    message: (p: { argument: string; reason: string }) => `${p.argument}: ${p.reason}`,
  },
  MQTT_CONNECT_FAILED: {
    message: (p: { url: string; reason: string }) => `cannot connect to ${p.url}: ${p.reason}`,
    retriable: true,
  },
  MQTT_NOT_AUTHORIZED: {
    message: (p: { url: string; username: string }) =>
      `the MQTT broker at ${p.url} refused user ${p.username}`,
  },
});

/** Every code with when it is raised (README table; a test keeps both in step). */
export const simulatorErrorDocs: Readonly<Record<keyof typeof simulatorErrors, string>> = {
  OPTIONS_INVALID:
    'an option of `startSimulation` or an `RTP_SIM_*` variable is out of range; one line per problem',
  ARGUMENT_INVALID: 'a command-line argument is unknown or malformed',
  MQTT_CONNECT_FAILED: 'the first MQTT connect failed or timed out (retriable)',
  MQTT_NOT_AUTHORIZED: 'the broker refused the credentials',
};
