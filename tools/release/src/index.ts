export {
  packPublishedPackages,
  publishedPackages,
  workspaceDirectories,
  workspaceRoot,
  type PackedPackage,
  type PublishedPackage,
} from './published-packages.js';
export { releaseErrors } from './release.errors.js';
