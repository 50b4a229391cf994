import { sdkErrors } from '../../sdk.errors.js';

export interface SchemaRegistryClientOptions {
  /** `KAFKA_SCHEMA_REGISTRY_URL` of the kafka secret. */
  readonly url: string;
  /**
   * HTTP basic login: the kafka secret's `KAFKA_USERNAME`/`KAFKA_PASSWORD` (the registry knows each
   * Kafka principal, as Confluent clients' `basic.auth.credentials.source=SASL_INHERIT` assumes):
   * `schemaRegistryLogin(config.platform.kafka)`. The platform's registry refuses requests without it.
   */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly timeoutMs?: number;
  /** Defaults to the global fetch (Node 20). */
  readonly fetch?: typeof fetch;
}

const contentType = 'application/vnd.schemaregistry.v1+json';

/** The Confluent compatibility levels of a subject. */
export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

/**
 * The two Confluent Schema Registry REST calls the Avro codec needs, with caches:
 * `POST /subjects/<subject>/versions` (register or look up: the registry answers the existing id
 * for a schema it already has) and `GET /schemas/ids/<id>`. Ids are immutable, so both caches
 * never expire; concurrent calls for the same key share one request.
 */
export class SchemaRegistryClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly authorization: string | undefined;
  private readonly username: string | undefined;
  private readonly idsBySchema = new Map<string, Promise<number>>();
  private readonly schemasById = new Map<number, Promise<string>>();

  constructor(options: SchemaRegistryClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? fetch;
    const { credentials } = options;
    this.username = credentials?.username;
    this.authorization =
      credentials === undefined
        ? undefined
        : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  /** The id of `schema` (Avro JSON text) under `subject`, registering it when new. */
  register(subject: string, schema: string): Promise<number> {
    const key = `${subject}\u0000${schema}`;
    let id = this.idsBySchema.get(key);
    if (id === undefined) {
      id = this.request<{ id: number }>(
        'POST',
        `/subjects/${encodeURIComponent(subject)}/versions`,
        {
          schema,
        },
      ).then((body) => {
        if (!Number.isInteger(body.id)) throw this.rejected(200, 'no schema id in the answer');
        return body.id;
      });
      this.cache(this.idsBySchema, key, id);
    }
    return id;
  }

  /** The schema text registered under `id`. */
  schemaById(id: number): Promise<string> {
    let schema = this.schemasById.get(id);
    if (schema === undefined) {
      schema = this.request<{ schema: string }>('GET', `/schemas/ids/${id}`).then((body) => {
        if (typeof body.schema !== 'string') throw this.rejected(200, 'no schema in the answer');
        return body.schema;
      });
      this.cache(this.schemasById, id, schema);
    }
    return schema;
  }

  /**
   * Sets the compatibility level of `subject` (`PUT /config/<subject>`): later versions are
   * checked against it. Register the first version before: some registries (Apicurio) keep
   * configuration only for subjects that exist.
   */
  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const body = await this.request<{ compatibility?: string; compatibilityLevel?: string }>(
      'PUT',
      `/config/${encodeURIComponent(subject)}`,
      { compatibility: level },
    );
    // Confluent answers `compatibility`, Apicurio `compatibilityLevel`.
    const answered = body.compatibility ?? body.compatibilityLevel;
    if (answered !== level) throw this.rejected(200, `compatibility is ${String(answered)}`);
  }

  /** The compatibility level configured for `subject` (`GET /config/<subject>`). */
  async compatibility(subject: string): Promise<string | undefined> {
    const body = await this.request<{ compatibilityLevel?: string; compatibility?: string }>(
      'GET',
      `/config/${encodeURIComponent(subject)}`,
    );
    return body.compatibilityLevel ?? body.compatibility;
  }

  /** Failed lookups are not cached: the next call asks again. */
  private cache<K, V>(map: Map<K, Promise<V>>, key: K, value: Promise<V>): void {
    map.set(key, value);
    value.catch(() => map.delete(key));
  }

  private rejected(status: number, reason: string, errorCode?: number) {
    return sdkErrors.SCHEMA_REGISTRY_REJECTED({ url: this.baseUrl, status, errorCode, reason });
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: contentType,
          ...(body === undefined ? {} : { 'content-type': contentType }),
          ...(this.authorization === undefined ? {} : { authorization: this.authorization }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw sdkErrors.SCHEMA_REGISTRY_UNAVAILABLE(
        { url: this.baseUrl, reason: (error as Error).message },
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    if (response.status >= 500) {
      throw sdkErrors.SCHEMA_REGISTRY_UNAVAILABLE({
        url: this.baseUrl,
        reason: `HTTP ${response.status}: ${String(parsed.message ?? '')}`,
      });
    }
    if (response.status === 401 || response.status === 403) {
      // Not retriable: a refused login or role stays refused until the secret or the grants change.
      throw sdkErrors.SCHEMA_REGISTRY_AUTH_FAILED({
        url: this.baseUrl,
        status: response.status,
        username: this.username ?? 'anonymous',
        request: `${method} ${path.replace(/\?.*$/, '')}`,
      });
    }
    if (!response.ok) {
      throw this.rejected(
        response.status,
        String(parsed.message ?? response.statusText),
        typeof parsed.error_code === 'number' ? parsed.error_code : undefined,
      );
    }
    return parsed as T;
  }
}

/** The registry login of a kafka secret: its Kafka principal's user name and password. */
export function schemaRegistryLogin(connection: {
  readonly username: string;
  readonly password: string;
}): { username: string; password: string } {
  return { username: connection.username, password: connection.password };
}
