// The layer test: the onion rules every service shares (tools/config/dependency-cruiser.js,
// `onion-*`, also run by lint) applied to this service's src/. The composition root
// (src/composition-root.ts) and main.ts sit outside the layers and may import all of them.
import { resolve } from 'node:path';
import { describeOnionLayers } from '@realtime-platform/testkit';

// The subscriber, codecs and settings (infrastructure) plug into the split use case
// (application), which knows only the output policy (domain).
describeOnionLayers('stream-processor', resolve(import.meta.dirname, '../..'), {
  layers: ['domain', 'application', 'infrastructure'],
  arrows: ['application → domain', 'infrastructure → application'],
});
