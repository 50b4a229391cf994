export type PlatformaticKafka = typeof import('@platformatic/kafka');

/**
 * `Promise.withResolvers` (ES2024) as the standard defines it, for Node 20, which lacks it and
 * which @platformatic/kafka 2.x (engines: Node ≥ 22.22) calls for every request. Defined only
 * where it is missing, and only when a platformatic adapter first connects.
 */
function ensurePromiseWithResolvers(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

let loading: Promise<PlatformaticKafka> | undefined;

/** @platformatic/kafka, loaded when the first platformatic bus connects (never on SDK import). */
export function loadPlatformaticKafka(): Promise<PlatformaticKafka> {
  ensurePromiseWithResolvers();
  loading ??= import('@platformatic/kafka');
  return loading;
}
