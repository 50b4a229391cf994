import { renderXrd } from '@realtime-platform/contract-generators';
import { addonNames } from '../contract-values.js';

/**
 * The contract's XRD as the addon installs it: exactly `renderXrd()` plus the one thing the addon
 * owns, the default Composition (a test checks nothing else differs).
 */
export function addonRealtimePlatformXrd(): Record<string, unknown> {
  const xrd = renderXrd() as { spec: Record<string, unknown> };
  return {
    ...xrd,
    spec: { ...xrd.spec, defaultCompositionRef: { name: addonNames.platformComposition } },
  };
}
