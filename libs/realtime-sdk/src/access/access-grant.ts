import { sdkErrors } from '../sdk.errors.js';

/**
 * The claim of a person's token that says what its holder may see. Namespaced (a URL, as OpenID
 * Connect asks of private claims) so it never collides with an identity provider's own claims:
 *
 * ```json
 * "https://realtime-platform/access": {
 *   "devices": ["bed-7", "bed-9"],            // or "*": every device (only when granted so)
 *   "wards": ["icu-3"],                       // optional: devices the service maps to these wards
 *   "topics": ["heart_rate_device_topic", "health_alerts"]   // or "*": every topic
 * }
 * ```
 *
 * Nothing is granted by default: without the claim a token sees nothing, and `"*"` is never
 * implied (not by an empty list, a missing field or a wildcard pattern).
 */
export const accessClaimName = 'https://realtime-platform/access';

/** What a token grants, parsed and checked once per connection or request. */
export interface AccessGrant {
  /** `'*'` only when the claim says `"devices": "*"`. */
  readonly devices: '*' | ReadonlySet<string>;
  readonly wards: ReadonlySet<string>;
  /** `'*'` only when the claim says `"topics": "*"`. */
  readonly topics: '*' | ReadonlySet<string>;
}

/** A grant that allows everything: what auth `disabled` means, never the result of a token. */
export const unrestrictedGrant: AccessGrant = Object.freeze({
  devices: '*',
  wards: new Set<string>(),
  topics: '*',
});

/** Bounds of the claim: ids as long as device ids, lists as long as a token header can carry. */
export const accessClaimLimits = { maxEntries: 2000, maxIdLength: 128 } as const;

const knownFields = new Set(['devices', 'wards', 'topics']);

function invalid(claim: string, reason: string): never {
  throw sdkErrors.ACCESS_CLAIM_INVALID({ claim, reason });
}

function parseList(
  claim: string,
  field: string,
  raw: unknown,
  wildcard: boolean,
): '*' | ReadonlySet<string> {
  if (raw === '*' && wildcard) return '*';
  if (!Array.isArray(raw))
    invalid(claim, `"${field}" must be ${wildcard ? '"*" or ' : ''}an array of strings`);
  if (raw.length > accessClaimLimits.maxEntries)
    invalid(claim, `"${field}" may list at most ${accessClaimLimits.maxEntries} entries`);
  const values = new Set<string>();
  for (const value of raw as unknown[]) {
    if (
      typeof value !== 'string' ||
      value.trim() === '' ||
      value.length > accessClaimLimits.maxIdLength
    )
      invalid(
        claim,
        `"${field}" entries must be non-blank strings of at most ${accessClaimLimits.maxIdLength} characters`,
      );
    // "*" inside a list is a typo or an attempt, never a wildcard: only the bare "*" grants all.
    if (value === '*') invalid(claim, `"${field}" grants every entry only as the string "*"`);
    values.add(value);
  }
  return values;
}

/**
 * The grant of a verified token's claims. Throws RTP_ERR_SDK_ACCESS_CLAIM_MISSING without the
 * claim and RTP_ERR_SDK_ACCESS_CLAIM_INVALID when it is malformed: unknown fields (a typo such as
 * `device` must not silently grant nothing or everything), no `topics`, neither `devices` nor
 * `wards`, or lists that are not lists of ids.
 */
export function parseAccessGrant(
  claims: Readonly<Record<string, unknown>>,
  claim: string = accessClaimName,
): AccessGrant {
  const raw = claims[claim];
  if (raw === undefined) throw sdkErrors.ACCESS_CLAIM_MISSING({ claim });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    invalid(claim, 'the claim must be an object');
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((field) => !knownFields.has(field));
  if (unknown.length > 0) invalid(claim, `unknown field(s) ${unknown.join(', ')}`);
  if (fields.topics === undefined) invalid(claim, '"topics" is required');
  if (fields.devices === undefined && fields.wards === undefined)
    invalid(claim, '"devices" or "wards" is required');
  const topics = parseList(claim, 'topics', fields.topics, true);
  const devices =
    fields.devices === undefined
      ? new Set<string>()
      : parseList(claim, 'devices', fields.devices, true);
  const wards =
    fields.wards === undefined
      ? new Set<string>()
      : (parseList(claim, 'wards', fields.wards, false) as ReadonlySet<string>);
  return { devices, wards, topics };
}
