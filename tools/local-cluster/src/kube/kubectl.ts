import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { localClusterErrors } from '../local-cluster-errors.js';
import type { KubeObject } from './kube-api.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The real kubectl against the local cluster: tests and the harness apply YAML with it. */
export class Kubectl {
  constructor(
    readonly binary: string,
    readonly kubeconfig: string,
    private readonly scratchDir: string,
  ) {}

  /** Runs kubectl; never throws on a non-zero exit (tests assert on refusals). */
  async run(args: string[], options: { input?: string } = {}): Promise<CommandResult> {
    const result = await execa(this.binary, ['--kubeconfig', this.kubeconfig, ...args], {
      reject: false,
      input: options.input,
      env: { KUBECONFIG: this.kubeconfig },
    });
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    };
  }

  /** Runs kubectl and throws RTP_ERR_CLUSTER_COMMAND_FAILED with its output on failure. */
  async must(args: string[], options: { input?: string } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.exitCode !== 0) {
      throw localClusterErrors.COMMAND_FAILED({
        command: `kubectl ${args.join(' ')}`,
        exitCode: result.exitCode,
        output: `${result.stderr}\n${result.stdout}`,
      });
    }
    return result.stdout;
  }

  /**
   * Server-side apply of objects or of YAML files/folders (large CRDs exceed the client-side
   * apply annotation). The field manager names the harness.
   */
  async apply(source: KubeObject[] | string, options: { namespace?: string } = {}): Promise<void> {
    let file = source as string;
    if (Array.isArray(source)) {
      file = join(
        this.scratchDir,
        `apply-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`,
      );
      writeFileSync(file, source.map((o) => stringify(o)).join('---\n'));
    }
    await this.must([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=rtp-local-cluster',
      ...(options.namespace ? ['-n', options.namespace] : []),
      '-f',
      file,
    ]);
  }

  /** Applies CustomResourceDefinitions and waits until the API server serves them (Established). */
  async applyCrds(source: string): Promise<void> {
    await this.apply(source);
    await this.must(['wait', '--for=condition=Established', '--timeout=120s', '-f', source]);
  }

  /** `kubectl get -o json` of one object; undefined when it does not exist. */
  async getJson<T = KubeObject>(
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    const result = await this.run([
      'get',
      kind,
      name,
      ...(namespace ? ['-n', namespace] : []),
      '-o',
      'json',
    ]);
    if (result.exitCode !== 0) {
      if (/NotFound|not found/.test(result.stderr)) return undefined;
      throw localClusterErrors.COMMAND_FAILED({
        command: `kubectl get ${kind} ${name}`,
        exitCode: result.exitCode,
        output: result.stderr,
      });
    }
    return JSON.parse(result.stdout) as T;
  }

  /** `kubectl get -o json` of a list (`-A` without a namespace when allNamespaces). */
  async list<T = KubeObject>(
    kind: string,
    options: { namespace?: string; selector?: string; allNamespaces?: boolean } = {},
  ): Promise<T[]> {
    const stdout = await this.must([
      'get',
      kind,
      ...(options.namespace ? ['-n', options.namespace] : []),
      ...(options.allNamespaces ? ['-A'] : []),
      ...(options.selector ? ['-l', options.selector] : []),
      '-o',
      'json',
    ]);
    return (JSON.parse(stdout) as { items: T[] }).items;
  }
}
