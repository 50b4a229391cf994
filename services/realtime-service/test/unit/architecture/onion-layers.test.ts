// The layer test: the onion rules every service shares (tools/config/dependency-cruiser.js,
// `onion-*`, also run by lint) applied to this service's src/. The composition root
// (src/composition-root.ts) and main.ts sit outside the layers and may import all of them.
import { resolve } from 'node:path';
import { describeOnionLayers } from '@realtime-platform/testkit';

// The Kafka, database and hub adapters (infrastructure) and the REST and dashboard routes
// (interface) reach the use cases (application), which know only the domain.
describeOnionLayers('realtime-service', resolve(import.meta.dirname, '../../..'), {
  layers: ['domain', 'application', 'infrastructure', 'interface'],
  arrows: ['application → domain', 'infrastructure → application', 'interface → application'],
});
