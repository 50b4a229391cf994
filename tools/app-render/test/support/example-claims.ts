import { join } from 'node:path';
import { addonsRoot } from '@realtime-platform/addons';
import { dryRunApplication, objectOf, type KubeObject } from '../../src/index.js';
import { renderAddonOk } from './addon-render.js';

/**
 * The claim (`kind`) that `vela dry-run --offline` renders from an example Application. The
 * requirements' user flow needs the webservice override template.cue installs, so it is given.
 */
export async function claimOf(example: string, kind: string): Promise<KubeObject> {
  const overriding = await renderAddonOk({
    chartRepository: 'https://charts.example.test/realtime-platform',
    overrideWebservice: true,
  });
  const result = await dryRunApplication(join(addonsRoot, 'examples', example), {
    objects: [objectOf(overriding, 'ComponentDefinition', 'webservice')],
  });
  const claim = result.objects.find((o) => o.kind === kind);
  if (!claim) throw new Error(`${example} renders no ${kind}: ${result.error}`);
  return claim;
}
