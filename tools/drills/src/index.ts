export { faultNames, faults, parseFaultNames, type Fault, type FaultName } from './drill-faults.js';
export {
  defaultDrillOptions,
  runDrills,
  type DrillOptions,
  type DrillResult,
} from './drill-runner.js';
export { drillPassed, formatDrillTable } from './drill-table.js';
export { expectedAlertIds, readingIdOf, ReadingStream } from './reading-stream.js';
