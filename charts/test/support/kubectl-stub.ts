// A `kubectl` stand-in for scripts that keep state in Secrets. It records every call (arguments,
// and the content of a --patch-file) and keeps Secrets in a JSON state file, so a test can check
// both the exact calls and the resulting Secret. It understands the two calls such scripts make:
//   kubectl get secret NAME --namespace NS --output jsonpath={.data.KEY}
//   kubectl patch secret NAME --namespace NS --type merge --patch-file FILE   (stringData/data)
// Anything else fails, like a real kubectl would on a typo. `failOn` makes one verb fail the way
// a forbidden request does.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlCall {
  args: string[];
  /** The parsed content of --patch-file, for patch calls. */
  patch?: unknown;
}

export interface KubectlStubOptions {
  /** Secrets that exist, "namespace/name" to decoded data. */
  secrets?: Record<string, Record<string, string>>;
  /** Make every call with this verb fail with a Forbidden error. */
  failOn?: 'get' | 'patch';
}

interface StubState {
  secrets: Record<string, { data: Record<string, string> }>;
  failOn?: string;
  calls: KubectlCall[];
}

// CommonJS, so the stub runs with plain `node FILE` whatever the surrounding package type is.
const stubSource = (statePath: string): string => `
const fs = require('node:fs');
const statePath = ${JSON.stringify(statePath)};
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
const args = process.argv.slice(2);
const call = { args };
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const finish = (code, out, err) => {
  state.calls.push(call);
  fs.writeFileSync(statePath, JSON.stringify(state));
  if (out) process.stdout.write(out);
  if (err) process.stderr.write(err + '\\n');
  process.exit(code);
};
const [verb, resource, name] = args;
const namespace = option('--namespace') || 'default';
const id = namespace + '/' + name;
if (verb === 'patch') {
  const file = option('--patch-file');
  if (file) call.patch = JSON.parse(fs.readFileSync(file, 'utf8'));
}
if (state.failOn === verb) {
  finish(1, '', 'Error from server (Forbidden): secrets "' + name + '" is forbidden: User "system:serviceaccount:' + namespace + ':stub" cannot ' + verb + ' resource "secrets"');
}
if (resource !== 'secret' || !name) finish(1, '', 'error: the stub kubectl does not know: ' + args.join(' '));
const secret = state.secrets[id];
if (!secret) finish(1, '', 'Error from server (NotFound): secrets "' + name + '" not found');
if (verb === 'get') {
  const match = /^jsonpath=\\{\\.data\\.([A-Za-z0-9_-]+)\\}$/.exec(option('--output') || '');
  if (!match) finish(1, '', 'error: unsupported --output ' + option('--output'));
  finish(0, secret.data[match[1]] || '');
}
if (verb === 'patch') {
  if (option('--type') !== 'merge' || !call.patch) finish(1, '', 'error: expected --type merge --patch-file');
  for (const [key, value] of Object.entries(call.patch.stringData || {})) secret.data[key] = Buffer.from(value).toString('base64');
  for (const [key, value] of Object.entries(call.patch.data || {})) secret.data[key] = value;
  finish(0, 'secret/' + name + ' patched\\n');
}
finish(1, '', 'error: the stub kubectl does not know: ' + args.join(' '));
`;

export class KubectlStub {
  private constructor(
    private readonly dir: string,
    private readonly statePath: string,
    /** The command to put in KUBECTL. */
    readonly command: string,
  ) {}

  static async create(options: KubectlStubOptions = {}): Promise<KubectlStub> {
    const dir = await mkdtemp(join(tmpdir(), 'rtp-kubectl-stub-'));
    const statePath = join(dir, 'state.json');
    const scriptPath = join(dir, 'kubectl.cjs');
    const command = join(dir, 'kubectl');
    const state: StubState = {
      secrets: Object.fromEntries(
        Object.entries(options.secrets ?? {}).map(([id, data]) => [
          id,
          {
            data: Object.fromEntries(
              Object.entries(data).map(([key, value]) => [
                key,
                Buffer.from(value).toString('base64'),
              ]),
            ),
          },
        ]),
      ),
      ...(options.failOn ? { failOn: options.failOn } : {}),
      calls: [],
    };
    await writeFile(statePath, JSON.stringify(state));
    await writeFile(scriptPath, stubSource(statePath));
    // A shell wrapper with the absolute node path: no dependence on PATH or shebang length.
    await writeFile(command, `#!/bin/sh\nexec '${process.execPath}' '${scriptPath}' "$@"\n`);
    await chmod(command, 0o755);
    return new KubectlStub(dir, statePath, command);
  }

  private async state(): Promise<StubState> {
    return JSON.parse(await readFile(this.statePath, 'utf8')) as StubState;
  }

  /** The calls made so far, in order. */
  async calls(): Promise<KubectlCall[]> {
    return (await this.state()).calls;
  }

  /** A Secret's decoded data as it is now ("namespace/name"); undefined when it does not exist. */
  async secret(id: string): Promise<Record<string, string> | undefined> {
    const secret = (await this.state()).secrets[id];
    if (!secret) return undefined;
    return Object.fromEntries(
      Object.entries(secret.data).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
