export { useLocalCluster } from './use-local-cluster.js';
