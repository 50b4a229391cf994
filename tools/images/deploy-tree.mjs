// Copies what one workspace package needs at run time out of an installed workspace into a
// deploy directory: the production dependency closure (dependencies, optionalDependencies and
// required peerDependencies, transitively, resolved through package-lock.json the way Node
// resolves them, at the paths npm installed them), and for the package and every workspace
// library it links, exactly the files its package.json publishes (npm pack's selection).
// services/Dockerfile runs it in the deploy stage; it needs only Node and npm.
//
// `npm ci --omit=dev -w <service>` is not the same thing: it omits only what is dev for the
// whole workspace, so another workspace's production dependencies (and this service's devDependency
// workspaces, e.g. the test infrastructure) would end up in the image.
//
// Usage: node deploy-tree.mjs <installed workspace root> <package folder, e.g. services/x> <out>
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import process from 'node:process';

const [root, start, out] = process.argv.slice(2);
if (!root || !start || !out) {
  console.error('usage: node deploy-tree.mjs <workspace root> <package folder> <out>');
  process.exit(2);
}
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const entries = lock.packages;
if (lock.lockfileVersion < 2 || entries === undefined) {
  console.error('package-lock.json has no "packages" (lockfileVersion 2 or later is needed)');
  process.exit(1);
}
if (entries[start] === undefined) {
  console.error(`${start} is not a package of this workspace (package-lock.json)`);
  process.exit(1);
}

/** The lockfile path Node would load `name` from, for code living at lockfile path `from`. */
function resolve(from, name) {
  for (let dir = from; ; dir = posix.dirname(dir)) {
    if (posix.basename(dir) !== 'node_modules') {
      const candidate =
        dir === '.' || dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (entries[candidate] !== undefined) return candidate;
    }
    if (dir === '.' || dir === '') return undefined;
  }
}

const workspaces = new Set([start]);
const packages = new Set();
const links = new Map();
const queue = [start];
while (queue.length > 0) {
  const at = queue.shift();
  const entry = entries[at];
  const peersOptional = entry.peerDependenciesMeta ?? {};
  const wanted = [
    ...Object.keys(entry.dependencies ?? {}).map((name) => [name, false]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => [name, true]),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => [
      name,
      peersOptional[name]?.optional === true,
    ]),
  ];
  for (const [name, optional] of wanted) {
    let path = resolve(at, name);
    if (path === undefined) {
      if (optional) continue;
      console.error(`${at} needs ${name}, which package-lock.json does not install`);
      process.exit(1);
    }
    // An optional package for another platform is in the lockfile but not installed.
    if (entries[path].optional && !existsInstalled(path)) continue;
    if (entries[path].link) {
      links.set(path, entries[path].resolved);
      path = entries[path].resolved;
      if (workspaces.has(path)) continue;
      workspaces.add(path);
    } else {
      if (packages.has(path)) continue;
      packages.add(path);
    }
    queue.push(path);
  }
}

function existsInstalled(path) {
  try {
    readFileSync(join(root, path, 'package.json'));
    return true;
  } catch {
    return false;
  }
}

// Dependencies: each package's own folder, without its nested node_modules (those nested
// packages that are needed are in the closure themselves).
for (const path of packages) {
  const source = join(root, path);
  cpSync(source, join(out, path), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (file) => !relative(source, file).split('/').includes('node_modules'),
  });
}
// Workspace packages: what `npm pack` would publish, and the links npm made to them.
for (const workspace of workspaces) {
  const listing = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], {
      cwd: join(root, workspace),
      encoding: 'utf8',
    }),
  );
  for (const { path } of listing[0].files) {
    mkdirSync(dirname(join(out, workspace, path)), { recursive: true });
    cpSync(join(root, workspace, path), join(out, workspace, path));
  }
}
for (const [link, target] of links) {
  mkdirSync(dirname(join(out, link)), { recursive: true });
  symlinkSync(relative(dirname(join(out, link)), join(out, target)), join(out, link));
}
console.log(
  `${start}: ${workspaces.size} workspace packages (${[...workspaces].join(', ')}), ${packages.size} dependencies`,
);
