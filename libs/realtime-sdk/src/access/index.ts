export {
  accessClaimLimits,
  accessClaimName,
  parseAccessGrant,
  unrestrictedGrant,
  type AccessGrant,
} from './access-grant.js';
export { AccessPolicy, type AccessPolicyOptions, type DeviceScope } from './access.policy.js';
export { AccessAuditLog, type AccessAction, type AccessAuditEvent } from './access-audit.log.js';
