import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// A library has no import side effects (issue 18): importing the SDK must not patch kafkajs for
// the host process, replace a module in Node's module registry (require.cache), add process
// listeners or globals. Proven in a fresh Node process on the built package, imported by its name
// as an application does (jest's own module registry would hide a patch of Node's).
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** kafkajs internals the SDK's opt-in speed-ups and fixes replace when asked to. */
const kafkajsInternals = [
  'kafkajs/src/producer/groupMessagesPerPartition.js',
  'kafkajs/src/producer/sendMessages.js',
  'kafkajs/src/protocol/recordBatch/record/v0/index.js',
  'kafkajs/src/protocol/requests/produce/v3/request.js',
  'kafkajs/src/network/requestQueue/index.js',
];

function importInFreshProcess(): {
  cacheEntriesReplaced: string[];
  exportsReplaced: string[];
  requestQueueMethodReplaced: boolean;
  processListenersAdded: string[];
  globalsAdded: string[];
  dependencyGlobals: string[];
  sdkExports: number;
} {
  const script = `
    import { createRequire } from 'node:module';
    // Resolve kafkajs as the SDK does (from the SDK's own folder), and load the internals first,
    // so that any patch at import would have to replace what is already in the registry.
    const requireFromSdk = createRequire(${JSON.stringify(`${packageDir}/package.json`)});
    const internals = ${JSON.stringify(kafkajsInternals)};
    const before = new Map(internals.map((id) => {
      requireFromSdk(id);
      const path = requireFromSdk.resolve(id);
      return [id, { entry: requireFromSdk.cache[path], exports: requireFromSdk.cache[path].exports }];
    }));
    const RequestQueue = requireFromSdk('kafkajs/src/network/requestQueue/index.js');
    const scheduleBefore = RequestQueue.prototype.scheduleCheckPendingRequests;
    const cacheBefore = new Map(Object.entries(requireFromSdk.cache));
    const events = ['exit', 'beforeExit', 'SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'warning'];
    const listenersBefore = events.map((e) => process.listenerCount(e));
    const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));

    const sdk = await import('@realtime-platform/realtime-sdk');

    const cacheAfter = requireFromSdk.cache;
    console.log(JSON.stringify({
      cacheEntriesReplaced: [...cacheBefore].filter(([path, entry]) => cacheAfter[path] !== entry).map(([path]) => path),
      exportsReplaced: internals.filter((id) => {
        const path = requireFromSdk.resolve(id);
        return cacheAfter[path] !== before.get(id).entry || cacheAfter[path].exports !== before.get(id).exports;
      }),
      requestQueueMethodReplaced: RequestQueue.prototype.scheduleCheckPendingRequests !== scheduleBefore,
      processListenersAdded: events.filter((e, i) => process.listenerCount(e) !== listenersBefore[i]),
      globalsAdded: Object.getOwnPropertyNames(globalThis).filter((name) => !globalsBefore.has(name)),
      // Globals dependencies define when loaded, not the SDK: tsyringe's tslib 1.x puts its helpers
      // on the global object too, mqtt's bundle its regenerator runtime.
      dependencyGlobals: [
        ...Object.keys(createRequire(requireFromSdk.resolve('tsyringe'))('tslib')),
        'regeneratorRuntime',
      ],
      sdkExports: Object.keys(sdk).length,
    }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? 'null') as ReturnType<
    typeof importInFreshProcess
  >;
}

/**
 * The kafkajs internals an application loads after importing the SDK: whether each is kafkajs's own
 * or the SDK's replacement (the replacements come from the SDK's patch modules, which only hold them).
 */
function kafkajsLoadedAfterImport(): Record<string, boolean> {
  const dist = `${packageDir}/dist/kafka`;
  const script = `
    import { createRequire } from 'node:module';
    const requireFromSdk = createRequire(${JSON.stringify(`${packageDir}/package.json`)});
    await import('@realtime-platform/realtime-sdk');
    const linear = await import(${JSON.stringify(`${dist}/kafkajs-linear-grouping.patch.js`)});
    const encoder = await import(${JSON.stringify(`${dist}/kafkajs-record-encoder.patch.js`)});
    const queue = await import(${JSON.stringify(`${dist}/kafkajs-request-queue.patch.js`)});
    requireFromSdk('kafkajs');
    console.log(JSON.stringify({
      linearGrouping: requireFromSdk('kafkajs/src/producer/groupMessagesPerPartition.js') === linear.groupMessagesPerPartition,
      recordEncoder: encoder.isPatched(requireFromSdk('kafkajs/src/protocol/recordBatch/record/v0/index.js')),
      requestQueue: requireFromSdk('kafkajs/src/network/requestQueue/index.js').prototype.scheduleCheckPendingRequests === queue.scheduleCheckPendingRequests,
    }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? 'null') as Record<string, boolean>;
}

describe('importing @realtime-platform/realtime-sdk', () => {
  it('should leave kafkajs as it is for what the application loads afterwards', () => {
    expect(kafkajsLoadedAfterImport()).toEqual({
      linearGrouping: false,
      recordEncoder: false,
      requestQueue: false,
    });
  });

  it('should replace no loaded module (require.cache, kafkajs internals) and add no process listener', () => {
    const result = importInFreshProcess();
    expect(result.sdkExports).toBeGreaterThan(20);
    expect(result).toMatchObject({
      cacheEntriesReplaced: [],
      exportsReplaced: [],
      requestQueueMethodReplaced: false,
      // pino's default destination would register an exit handler (silentLogger owns no stream).
      processListenersAdded: [],
    });
  });

  it('should add no global of its own (only what its dependencies define when loaded)', () => {
    const { globalsAdded, dependencyGlobals } = importInFreshProcess();
    expect(globalsAdded.filter((name) => !dependencyGlobals.includes(name))).toEqual([]);
  });
});
