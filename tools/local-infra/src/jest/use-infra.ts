import { afterAll, beforeAll } from '@jest/globals';
import { KafkaBroker, type KafkaBrokerOptions } from '../kafka-broker.js';
import { KafkaCluster, type KafkaClusterOptions } from '../kafka-cluster.js';
import { localInfraErrors } from '../local-infra-errors.js';
import { logTail } from '../log-tail.js';
import { MosquittoBroker, type MosquittoBrokerOptions } from '../mosquitto-broker.js';
import { PostgresServer, type PostgresServerOptions } from '../postgres-server.js';
import { MariaDbServer, type MariaDbServerOptions } from '../mariadb-server.js';
import { FerretDbServer, type FerretDbServerOptions } from '../ferretdb-server.js';
import { SchemaRegistry, type SchemaRegistryOptions } from '../schema-registry.js';

/** Set by tools/config/jest-environment.js: names of the tests that failed in this file. */
const FAILURES_KEY = '__rtpFailedTests';

interface Stoppable {
  stop(): Promise<void>;
  logFile: string;
  /** Servers of several processes print every process's log tail. */
  logTails?(lines: number): string;
}

const START_TIMEOUT_MS = 120_000;

function failedTests(): string[] {
  return ((globalThis as Record<string, unknown>)[FAILURES_KEY] as string[] | undefined) ?? [];
}

/**
 * Starts a server before the suite and stops it after. If any test in the file failed, the
 * server's log tail is printed so the failure can be understood from the CI output alone.
 */
function useServer<T extends Stoppable>(service: string, start: () => Promise<T>): () => T {
  let server: T | undefined;
  beforeAll(async () => {
    server = await start();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    if (!server) return;
    const failures = failedTests();
    if (failures.length > 0) {
      console.error(
        `[local-infra] ${failures.length} failure(s) in this suite; ${service} log (${server.logFile}):\n${server.logTails?.(60) ?? logTail(server.logFile, 120)}`,
      );
    }
    await server.stop();
  }, 30_000);
  return () => {
    if (!server) throw localInfraErrors.NOT_STARTED({ service });
    return server;
  };
}

/** A real Kafka broker for this test file: `const kafka = useKafkaBroker(); kafka().bootstrapServers`. */
export const useKafkaBroker = (options?: KafkaBrokerOptions): (() => KafkaBroker) =>
  useServer('kafka', () => KafkaBroker.start(options));

/**
 * A real three-broker Kafka (KRaft controllers of its own) with the platform's production
 * replication settings for this test file: `const kafka = useKafkaCluster(); kafka().kill(1)`.
 */
export const useKafkaCluster = (options?: KafkaClusterOptions): (() => KafkaCluster) =>
  useServer('kafka-cluster', () => KafkaCluster.start(options));

/** A real Mosquitto with authentication for this test file. */
export const useMosquittoBroker = (options?: MosquittoBrokerOptions): (() => MosquittoBroker) =>
  useServer('mosquitto', () => MosquittoBroker.start(options));

/** A real PostgreSQL for this test file. */
export const usePostgresServer = (options?: PostgresServerOptions): (() => PostgresServer) =>
  useServer('postgres', () => PostgresServer.start(options));

/** A real MariaDB (the MySQL stand-in) with generated accounts for this test file. */
export const useMariaDbServer = (options?: MariaDbServerOptions): (() => MariaDbServer) =>
  useServer('mariadb', () => MariaDbServer.start(options));

/** A real MongoDB-protocol server (FerretDB) with authentication for this test file. */
export const useFerretDbServer = (options?: FerretDbServerOptions): (() => FerretDbServer) =>
  useServer('ferretdb', () => FerretDbServer.start(options));

/**
 * A real Schema Registry (Confluent API, logins required) for this test file:
 * `schemaRegistry().url`. Options may be a function, called at start: after the servers declared
 * before it started, e.g. `useSchemaRegistry(() => ({ users: kafka().registryUsers() }))`.
 */
export const useSchemaRegistry = (
  options?: SchemaRegistryOptions | (() => SchemaRegistryOptions),
): (() => SchemaRegistry) =>
  useServer('schema-registry', () =>
    SchemaRegistry.start(typeof options === 'function' ? options() : options),
  );
