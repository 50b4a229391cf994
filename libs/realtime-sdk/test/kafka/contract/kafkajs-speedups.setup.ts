// Imported first by the speed-ups contract file: installs them in jest's module registry before
// anything in that file loads kafkajs (the contract's helpers import it), as a service process
// would before creating its bus.
import { installKafkajsSpeedups } from '../../../src/kafka/kafkajs-speedups.js';

export const installed = installKafkajsSpeedups();
