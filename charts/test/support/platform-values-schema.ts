// The `platform` part of the realtime-platform chart's values.schema.json, derived from the platform
// contract. `properties.platform` is the contract's claimSpecSchema unchanged; because that schema
// is a Kubernetes structural schema it has no `additionalProperties`, so the chart adds, in a
// root-level `allOf`, `propertyNames` rules built here from the same schema: Helm then refuses an
// unknown claim field (a typo) as validateClaimSpec does. The rules the contract writes as CEL
// (which JSON Schema validators ignore) are hand-written JSON Schema in the same `allOf`, and the
// tests prove each one by rendering a claim that breaks it.
import { claimSpecSchema, type ClaimJsonSchema } from '@realtime-platform/platform-contract';

export interface PropertyNamesRule {
  propertyNames?: { enum: string[] };
  properties?: Record<string, PropertyNamesRule>;
  items?: PropertyNamesRule;
}

/** For every object of a schema: the names it allows (recursively), or undefined for scalars. */
export function propertyNamesRule(schema: ClaimJsonSchema): PropertyNamesRule | undefined {
  if (schema.type === 'object' && schema.properties) {
    const nested: Record<string, PropertyNamesRule> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      const rule = propertyNamesRule(child);
      if (rule) nested[key] = rule;
    }
    return {
      propertyNames: { enum: Object.keys(schema.properties) },
      ...(Object.keys(nested).length ? { properties: nested } : {}),
    };
  }
  if (schema.type === 'array' && schema.items) {
    const items = propertyNamesRule(schema.items);
    return items ? { items } : undefined;
  }
  return undefined;
}

/** The values.schema.json `allOf` entry that refuses unknown fields under `platform`. */
export function unknownClaimFieldsRule(): { properties: { platform: PropertyNamesRule } } {
  const rule = propertyNamesRule(claimSpecSchema as ClaimJsonSchema);
  if (!rule) throw new Error('the claim schema is not an object schema');
  return { properties: { platform: rule } };
}

/** The contract's claim schema as plain JSON (what `properties.platform` must equal). */
export function claimSchemaJson(): unknown {
  return JSON.parse(JSON.stringify(claimSpecSchema)) as unknown;
}
