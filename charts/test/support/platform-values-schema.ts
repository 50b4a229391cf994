// The `platform` part of the realtime-platform chart's values.schema.json, derived from the platform
// contract. `properties.platform` is the contract's claimSpecSchema unchanged; because that schema
// is a Kubernetes structural schema it has no `additionalProperties`, so the chart adds, in a
// root-level `allOf`, `propertyNames` rules built from the same schema (src/contract-files.ts, the
// generator that writes both): Helm then refuses an unknown claim field (a typo) as
// validateClaimSpec does. The rules the contract writes as CEL (which JSON Schema validators ignore)
// are hand-written JSON Schema in the same `allOf`, and the tests prove each one by rendering a
// claim that breaks it.
import { claimSpecSchema } from '@realtime-platform/platform-contract';

export { unknownClaimFieldsRule } from '../../src/contract-files.js';

/** The contract's claim schema as plain JSON (what `properties.platform` must equal). */
export function claimSchemaJson(): unknown {
  return JSON.parse(JSON.stringify(claimSpecSchema)) as unknown;
}
