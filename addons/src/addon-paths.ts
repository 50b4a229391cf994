import { fileURLToPath } from 'node:url';

/** addons/ (the nx project), from src/ or dist/. */
export const addonsRoot = fileURLToPath(new URL('..', import.meta.url));
/** addons/realtime-platform: exactly what `vela addon enable` reads (no tests, no tooling). */
export const addonDir = fileURLToPath(new URL('../realtime-platform', import.meta.url));
/** addons/realtime-platform/definitions: the definitions the addon ships as .cue files. */
export const addonDefinitionsDir = fileURLToPath(
  new URL('../realtime-platform/definitions', import.meta.url),
);
