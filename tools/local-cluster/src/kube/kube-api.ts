import { readFileSync } from 'node:fs';
import { request, Agent } from 'node:https';
import { localClusterErrors } from '../local-cluster-errors.js';

/** A Kubernetes object as the API returns it (loosely typed). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string }[];
    deletionTimestamp?: string;
    resourceVersion?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[];
}

export interface KubeApiCredentials {
  server: string;
  caFile: string;
  /** A client certificate (the harness's admin identity) ... */
  certFile?: string;
  keyFile?: string;
  /** ... or a bearer token (a ServiceAccount's). */
  token?: string;
}

export interface KubeResponse {
  status: number;
  body: string;
}

/**
 * The harness's own API client: plain HTTPS with the admin client certificate, for probes and
 * the small control loops (kubectl stays the tool the tests use, as users do).
 */
export class KubeApi {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(readonly credentials: KubeApiCredentials) {
    this.url = new URL(credentials.server);
    this.agent = new Agent({
      ca: readFileSync(credentials.caFile),
      ...(credentials.certFile ? { cert: readFileSync(credentials.certFile) } : {}),
      ...(credentials.keyFile ? { key: readFileSync(credentials.keyFile) } : {}),
      keepAlive: true,
      maxSockets: 4,
    });
  }

  /** One request; never throws on an HTTP status (callers decide), only on a network error. */
  raw(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    timeoutMs = 15_000,
  ): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method,
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType } : {}),
            ...(this.credentials.token
              ? { authorization: `Bearer ${this.credentials.token}` }
              : {}),
          },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** A JSON request that must succeed (2xx); RTP_ERR_CLUSTER_API_REQUEST_FAILED otherwise. */
  async json<T = KubeObject>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> {
    const response = await this.raw(method, path, body, contentType);
    if (response.status < 200 || response.status >= 300) {
      throw localClusterErrors.API_REQUEST_FAILED({
        method,
        path,
        status: response.status,
        body: response.body.slice(0, 2000),
      });
    }
    return JSON.parse(response.body) as T;
  }

  /** GET an object or list; undefined when it does not exist (404). */
  async get<T = KubeObject>(path: string): Promise<T | undefined> {
    const response = await this.raw('GET', path);
    if (response.status === 404) return undefined;
    if (response.status < 200 || response.status >= 300) {
      throw localClusterErrors.API_REQUEST_FAILED({
        method: 'GET',
        path,
        status: response.status,
        body: response.body.slice(0, 2000),
      });
    }
    return JSON.parse(response.body) as T;
  }

  /** Creates an object at `collectionPath`; an existing one (409) is left as it is. */
  async createIfMissing(collectionPath: string, object: KubeObject): Promise<void> {
    const response = await this.raw('POST', collectionPath, object);
    if (response.status === 409 || (response.status >= 200 && response.status < 300)) return;
    throw localClusterErrors.API_REQUEST_FAILED({
      method: 'POST',
      path: collectionPath,
      status: response.status,
      body: response.body.slice(0, 2000),
    });
  }

  /** A JSON merge patch (of the status subresource when the path ends in /status). */
  mergePatch<T = KubeObject>(path: string, patch: unknown): Promise<T> {
    return this.json<T>('PATCH', path, patch, 'application/merge-patch+json');
  }

  close(): void {
    this.agent.destroy();
  }
}
