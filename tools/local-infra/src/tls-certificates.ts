import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opensslBinary } from '@realtime-platform/toolchain';
import { runToCompletion } from './managed-process.js';

/** A CA and a server certificate signed by it, as PEM files. */
export interface TlsFiles {
  /** The CA certificate clients trust (`ca` of node:tls, `cafile` of Mosquitto). */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * Generates, with openssl, a CA valid for two days and a server certificate for 127.0.0.1 and
 * localhost signed by it (P-256 keys: quick to make). Private keys are written 0600 and never
 * leave `dir`; the CA key is only used here.
 */
export async function generateTlsFiles(dir: string, logFile: string): Promise<TlsFiles> {
  const openssl = opensslBinary();
  const file = (name: string): string => join(dir, name);
  const run = (step: string, args: string[]): Promise<void> =>
    runToCompletion({ service: `openssl ${step}`, command: openssl, args, logFile });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('ca', [
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=realtime-platform local test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('server request', [
    'req',
    ...ecKey,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(
    file('server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'),
  );
  await run('server certificate', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
  ]);
  for (const key of ['ca.key', 'server.key']) chmodSync(file(key), 0o600);
  return { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
}
