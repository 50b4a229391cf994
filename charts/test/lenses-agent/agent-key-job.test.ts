import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { KubectlStub, type KubectlStubOptions } from '../support/kubectl-stub.js';
import {
  LensesHqApiStandIn,
  type HqApiCall,
  type LensesHqStandInOptions,
} from '../support/lenses-hq-api-stand-in.js';
import {
  chartPath,
  containerOf,
  envOf,
  renderChart,
  type Container,
  type RenderedChart,
} from '../support/render-chart.js';
import { runShellScript, type ScriptResult } from '../support/run-shell-script.js';

const chart = 'lenses-agent';
const namespace = 'lenses';
const keySecret = 'test-lenses-agent-agent-key';
const keySecretId = `${namespace}/${keySecret}`;
const environment = 'test-lenses-agent';
const credentials = { user: 'admin', password: 'pa$$ "word" \\ with JSON specials' };

let render: RenderedChart;
let job: Container;
let scriptDir: string;
let scriptPath: string;

beforeAll(async () => {
  render = await renderChart(chart, { releaseName: 'test', namespace, fixtures: ['required'] });
  job = containerOf(render.podTemplate('Job', 'test-lenses-agent-agent-key-1'), 'ensure-agent-key');
  // The script under test is the one the chart ships in its ConfigMap, not a copy.
  scriptDir = await mkdtemp(join(tmpdir(), 'rtp-agent-key-'));
  scriptPath = join(scriptDir, 'ensure-agent-key.sh');
  await writeFile(
    scriptPath,
    render.configMapData('test-lenses-agent-agent-key-script')['ensure-agent-key.sh'] ?? '',
  );
});
afterAll(async () => {
  await rm(scriptDir, { recursive: true, force: true });
});

describe('lenses-agent: agent-key Job and its RBAC', () => {
  it('may only get and patch the one agent-key Secret, in its namespace', () => {
    expect(render.ofKind('ClusterRole')).toEqual([]);
    expect(render.ofKind('ClusterRoleBinding')).toEqual([]);
    const role = render.only('Role') as unknown as {
      metadata: { namespace: string };
      rules: unknown[];
    };
    expect(role.metadata.namespace).toBe(namespace);
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: [keySecret],
        verbs: ['get', 'patch'],
      },
    ]);
    const binding = render.only('RoleBinding') as unknown as {
      roleRef: unknown;
      subjects: unknown[];
    };
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'test-lenses-agent-agent-key',
    });
    const jobPod = render.podTemplate('Job', 'test-lenses-agent-agent-key-1').spec;
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: jobPod.serviceAccountName, namespace },
    ]);
    expect(jobPod.restartPolicy).toBe('Never');
  });

  it('writes the Secret the agent reads its key from', () => {
    const agent = containerOf(
      render.podTemplate('Deployment', 'test-lenses-agent'),
      'lenses-agent',
    );
    const reference = envOf(agent, 'LENSESHQ_AGENT_KEY').valueFrom?.secretKeyRef;
    expect(envOf(job, 'KEY_SECRET_NAME').value).toBe(reference?.name);
    expect(envOf(job, 'KEY_SECRET_KEY').value).toBe(reference?.key);
    const secret = render.get('Secret', keySecret) as unknown as {
      data?: unknown;
      metadata: { annotations: unknown };
    };
    expect(secret.data).toBeUndefined(); // the Job fills it; Helm's three-way merge leaves the key alone
    expect(secret.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
  });

  it('logs in to HQ with the credentials of the HQ admin Secret', () => {
    expect(envOf(job, 'HQ_URL').value).toBe('http://hq-lenses-hq.lenses.svc.cluster.local:9991');
    expect(envOf(job, 'HQ_USER').valueFrom?.secretKeyRef).toEqual({
      name: 'hq-lenses-hq-admin',
      key: 'username',
    });
    expect(envOf(job, 'HQ_PASSWORD').valueFrom?.secretKeyRef).toEqual({
      name: 'hq-lenses-hq-admin',
      key: 'password',
    });
    expect(envOf(job, 'NAMESPACE').valueFrom?.fieldRef).toEqual({
      fieldPath: 'metadata.namespace',
    });
  });

  it('runs the script the chart keeps in files/, mounted from its ConfigMap', async () => {
    const shipped = await readFile(join(chartPath(chart), 'files', 'ensure-agent-key.sh'), 'utf8');
    expect(render.configMapData('test-lenses-agent-agent-key-script')['ensure-agent-key.sh']).toBe(
      shipped,
    );
    const mount = job.volumeMounts?.find((m) => m.name === 'script');
    expect(job.command).toEqual(['/bin/sh', `${mount?.mountPath}/ensure-agent-key.sh`]);
    expect(job.image).toMatch(/^docker\.io\/alpine\/k8s:\d+\.\d+\.\d+$/);
  });
});

describe('lenses-agent: ensure-agent-key.sh against a stand-in for the HQ API', () => {
  let hq: LensesHqApiStandIn | undefined;
  let kubectl: KubectlStub | undefined;
  afterEach(async () => {
    await hq?.close();
    await kubectl?.dispose();
    hq = undefined;
    kubectl = undefined;
  });

  /** Runs the shipped script with the environment the Job gives it, pointed at the stand-ins. */
  async function run(
    hqOptions: Partial<LensesHqStandInOptions> = {},
    kubectlOptions: KubectlStubOptions = { secrets: { [keySecretId]: {} } },
    overrides: Record<string, string> = {},
  ): Promise<ScriptResult> {
    hq = await LensesHqApiStandIn.start({
      users: { [credentials.user]: credentials.password },
      ...hqOptions,
    });
    kubectl = await KubectlStub.create(kubectlOptions);
    const env: Record<string, string> = {};
    for (const variable of job.env ?? []) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
    }
    Object.assign(env, {
      HQ_URL: hq.url,
      HQ_USER: credentials.user, // from the HQ admin Secret in the cluster
      HQ_PASSWORD: credentials.password,
      NAMESPACE: namespace, // from the downward API
      KUBECTL: kubectl.command,
      HQ_POLL_SECONDS: '0',
      ...overrides,
    });
    return runShellScript(scriptPath, env);
  }

  const hqCalls = (): Omit<HqApiCall, 'body'>[] =>
    (hq?.calls ?? []).map(({ method, path, authenticated }) => ({ method, path, authenticated }));

  it('creates the environment and stores its agent key (HQ 6.1: login answers 204)', async () => {
    const result = await run();
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain(`created environment '${environment}' (tier development)`);
    expect(hqCalls()).toEqual([
      { method: 'GET', path: '/', authenticated: false },
      { method: 'POST', path: '/api/v1/login', authenticated: false },
      { method: 'GET', path: `/api/v1/environments/${environment}`, authenticated: true },
      { method: 'POST', path: '/api/v1/environments', authenticated: true },
    ]);
    expect(hq?.callsTo('POST', '/api/v1/login')[0]?.body).toEqual({
      username: credentials.user,
      password: credentials.password,
    });
    expect(hq?.callsTo('POST', '/api/v1/environments')[0]?.body).toEqual({
      name: environment,
      tier: 'development',
    });
    const key = hq?.issuedKeys.get(environment);
    expect(key).toMatch(/^agent_key_/);
    expect(await kubectl?.calls()).toEqual([
      {
        args: [
          'get',
          'secret',
          keySecret,
          '--namespace',
          namespace,
          '--output',
          'jsonpath={.data.agentKey}',
        ],
      },
      {
        args: [
          'patch',
          'secret',
          keySecret,
          '--namespace',
          namespace,
          '--type',
          'merge',
          '--patch-file',
          expect.any(String),
        ],
        patch: { stringData: { agentKey: key } },
      },
    ]);
    expect(await kubectl?.secret(keySecretId)).toEqual({ agentKey: key });
    expect(`${result.stdout}${result.stderr}`).not.toContain(key);
  });

  it('works with HQ 6.2+ (login answers 200 with JSON) and a Secure session cookie', async () => {
    const result = await run(
      { loginStyle: '6.2', secureCookies: true },
      { secrets: { [keySecretId]: {} } },
      { HQ_ENV_DISPLAY_NAME: 'Health "data"', HQ_ENV_TIER: 'production' },
    );
    expect(result.exitCode).toBe(0);
    expect(hq?.callsTo('POST', '/api/v1/environments')[0]).toMatchObject({
      authenticated: true,
      body: { name: environment, display_name: 'Health "data"', tier: 'production' },
    });
    expect(await kubectl?.secret(keySecretId)).toEqual({
      agentKey: hq?.issuedKeys.get(environment),
    });
  });

  it('waits for HQ to answer before logging in', async () => {
    const result = await run({ failures: [{ method: 'GET', path: '/', status: 503, times: 2 }] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('waiting for HQ');
    expect(hq?.callsTo('GET', '/')).toHaveLength(3);
  });

  it('does nothing when the environment exists and its key is stored (idempotent re-run)', async () => {
    const result = await run(
      { environments: [{ name: environment, display_name: environment, tier: 'development' }] },
      { secrets: { [keySecretId]: { agentKey: 'agent_key_stored_earlier' } } },
    );
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain('nothing to do');
    expect(hq?.callsTo('POST', '/api/v1/environments')).toEqual([]);
    expect((await kubectl?.calls())?.map((call) => call.args[0])).toEqual(['get']);
    expect(await kubectl?.secret(keySecretId)).toEqual({ agentKey: 'agent_key_stored_earlier' });
  });

  it('fails loudly, with the way out, when the environment exists but the key Secret is empty', async () => {
    const result = await run({
      environments: [{ name: environment, display_name: environment, tier: 'development' }],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      `Environment '${environment}' already exists in HQ, but Secret ${keySecretId}`,
    );
    expect(result.stderr).toContain(
      `kubectl patch secret ${keySecret} --namespace ${namespace} --type merge`,
    );
    expect(result.stderr).toContain(`delete environment '${environment}' in HQ`);
    expect(result.stderr).toMatch(
      /ERROR: environment 'test-lenses-agent' exists but its agent key is not in Secret/,
    );
    expect(hq?.callsTo('POST', '/api/v1/environments')).toEqual([]);
    expect((await kubectl?.calls())?.map((call) => call.args[0])).toEqual(['get']);
  });

  it('creates the environment again and replaces the key when HQ lost it', async () => {
    const result = await run(
      {},
      { secrets: { [keySecretId]: { agentKey: 'agent_key_of_a_lost_environment' } } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('creating it again and replacing the key');
    expect(result.stdout).toContain('kubectl rollout restart deployment');
    expect(await kubectl?.secret(keySecretId)).toEqual({
      agentKey: hq?.issuedKeys.get(environment),
    });
  });

  it('fails when HQ refuses the login, without printing the password', async () => {
    const result = await run({ users: { [credentials.user]: 'another-password' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      "ERROR: logging in to HQ as 'admin' failed: HQ answered HTTP 401",
    );
    expect(result.stderr).toContain('invalid credentials');
    expect(`${result.stdout}${result.stderr}`).not.toContain(credentials.password);
    expect(await kubectl?.calls()).toHaveLength(1); // the read; no write
  });

  it("fails with HQ's answer when creating the environment fails, and writes nothing", async () => {
    const result = await run({
      failures: [
        {
          method: 'POST',
          path: '/api/v1/environments',
          status: 500,
          body: { message: 'database unavailable' },
        },
      ],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      `ERROR: creating environment '${environment}' failed: HQ answered HTTP 500`,
    );
    expect(result.stderr).toContain('database unavailable');
    expect((await kubectl?.calls())?.map((call) => call.args[0])).toEqual(['get']);
    expect(await kubectl?.secret(keySecretId)).toEqual({});
  });

  it('fails when HQ answers 409 because the environment appeared meanwhile', async () => {
    const result = await run({
      failures: [
        {
          method: 'POST',
          path: '/api/v1/environments',
          status: 409,
          body: { message: 'already exists' },
        },
      ],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(`HQ says environment '${environment}' already exists`);
  });

  it('fails when HQ cannot be reached in time', async () => {
    const result = await run(
      {},
      { secrets: { [keySecretId]: {} } },
      { HQ_URL: 'http://127.0.0.1:1', HQ_WAIT_SECONDS: '0' },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'ERROR: waiting 0s for HQ failed: HQ at http://127.0.0.1:1 could not be reached',
    );
  });

  it('fails before calling HQ when the Secret cannot be read', async () => {
    const result = await run({}, { secrets: { [keySecretId]: {} }, failOn: 'get' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('Error from server (Forbidden)');
    expect(result.stderr).toContain(`ERROR: cannot read Secret ${keySecretId}`);
    expect(hq?.calls).toEqual([]);
  });

  it('fails, saying the key is lost, when the Secret cannot be written', async () => {
    const result = await run({}, { secrets: { [keySecretId]: {} }, failOn: 'patch' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('could not store its key');
    expect(result.stderr).toContain('delete the environment in HQ before running the Job again');
  });

  it('refuses an environment name HQ would reject, before any call', async () => {
    const result = await run({}, { secrets: { [keySecretId]: {} } }, { HQ_ENV_NAME: 'Not_Valid' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      "HQ_ENV_NAME 'Not_Valid' must be lowercase letters, digits and hyphens",
    );
    expect(hq?.calls).toEqual([]);
    expect(await kubectl?.calls()).toEqual([]);
  });
});
