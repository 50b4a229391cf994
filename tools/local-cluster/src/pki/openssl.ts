import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { findExecutable } from '@realtime-platform/toolchain';
import { localClusterErrors } from '../local-cluster-errors.js';

/**
 * The certificates of the local control plane, made with the openssl CLI (Node's crypto cannot
 * issue X.509 certificates). Keys are EC P-256; everything lives in one run directory.
 */
export interface CertificatePaths {
  cert: string;
  key: string;
}

export interface LeafOptions {
  /** File name stem in the directory: <name>.crt, <name>.key. */
  name: string;
  commonName: string;
  /** Subject organisations: Kubernetes groups of a client certificate (system:masters). */
  organizations?: string[];
  /** IP and DNS subject alternative names of a server certificate. */
  ipAddresses?: string[];
  dnsNames?: string[];
  usage: 'server' | 'client' | 'server-and-client';
}

const validDays = '7';

// A configuration of our own, so the system's openssl.cnf (present or not, whatever it adds)
// never decides an extension.
const requestConfig = `[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = local
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
`;

function openssl(): string {
  const binary = findExecutable('openssl');
  if (!binary) {
    throw localClusterErrors.COMMAND_FAILED({
      command: 'openssl',
      exitCode: undefined,
      output:
        'openssl is not installed (Debian package openssl; npm run setup -- --with-cluster-tools)',
    });
  }
  return binary;
}

async function run(dir: string, args: string[]): Promise<void> {
  const result = await execa(openssl(), args, { cwd: dir, reject: false, all: true });
  if (result.exitCode !== 0) {
    throw localClusterErrors.COMMAND_FAILED({
      command: `openssl ${args.join(' ')}`,
      exitCode: result.exitCode,
      output: String(result.all),
    });
  }
}

/** A certificate authority in `dir` (ca.crt, ca.key) that signs leaf certificates. */
export class CertificateAuthority implements CertificatePaths {
  private constructor(
    readonly dir: string,
    readonly cert: string,
    readonly key: string,
  ) {}

  static async create(dir: string, commonName: string): Promise<CertificateAuthority> {
    const config = join(dir, 'openssl.cnf');
    writeFileSync(config, requestConfig);
    await run(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    await run(dir, [
      'req',
      '-x509',
      '-new',
      '-config',
      config,
      '-key',
      'ca.key',
      '-subj',
      `/CN=${commonName}`,
      '-days',
      validDays,
      '-out',
      'ca.crt',
    ]);
    return new CertificateAuthority(dir, join(dir, 'ca.crt'), join(dir, 'ca.key'));
  }

  /** An existing CA (e.g. Crossplane's root CA, written from its Secret). */
  static fromFiles(dir: string, cert: string, key: string): CertificateAuthority {
    writeFileSync(join(dir, 'openssl.cnf'), requestConfig);
    return new CertificateAuthority(dir, cert, key);
  }

  /** A key and a certificate signed by this CA, in the CA's directory. */
  async issue(options: LeafOptions): Promise<CertificatePaths> {
    const key = join(this.dir, `${options.name}.key`);
    const csr = join(this.dir, `${options.name}.csr`);
    const cert = join(this.dir, `${options.name}.crt`);
    const extensions = join(this.dir, `${options.name}.ext`);
    const subject = [
      ...(options.organizations ?? []).map((o) => `/O=${o}`),
      `/CN=${options.commonName}`,
    ].join('');
    const sans = [
      ...(options.ipAddresses ?? []).map((ip) => `IP:${ip}`),
      ...(options.dnsNames ?? []).map((dns) => `DNS:${dns}`),
    ];
    const usages = {
      server: 'serverAuth',
      client: 'clientAuth',
      'server-and-client': 'serverAuth,clientAuth',
    }[options.usage];
    writeFileSync(
      extensions,
      [
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        `extendedKeyUsage = ${usages}`,
        ...(sans.length > 0 ? [`subjectAltName = ${sans.join(',')}`] : []),
        '',
      ].join('\n'),
    );
    await run(this.dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    await run(this.dir, [
      'req',
      '-new',
      '-config',
      join(this.dir, 'openssl.cnf'),
      '-key',
      key,
      '-subj',
      subject,
      '-out',
      csr,
    ]);
    await run(this.dir, [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      this.cert,
      '-CAkey',
      this.key,
      '-CAcreateserial',
      '-days',
      validDays,
      '-extfile',
      extensions,
      '-out',
      cert,
    ]);
    return { cert, key };
  }
}

/** An RSA key pair for signing service-account tokens (sa.key, sa.pub). */
export async function serviceAccountKeyPair(dir: string): Promise<{ key: string; pub: string }> {
  await run(dir, [
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-out',
    'sa.key',
  ]);
  await run(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  return { key: join(dir, 'sa.key'), pub: join(dir, 'sa.pub') };
}
