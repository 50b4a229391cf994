// The layer test: the onion rules every service shares (tools/config/dependency-cruiser.js,
// `onion-*`, also run by lint) applied to this service's src/. The composition root
// (src/composition-root.ts) and main.ts sit outside the layers and may import all of them.
import { resolve } from 'node:path';
import { describeOnionLayers } from '@realtime-platform/testkit';

// The MQTT publisher and settings (infrastructure) and the command line (interface) stay apart;
// the simulation (application) knows only the fleet model (domain).
describeOnionLayers('device-simulator', resolve(import.meta.dirname, '../..'), {
  layers: ['domain', 'application', 'infrastructure', 'interface'],
  arrows: ['application → domain', 'infrastructure → application'],
});
