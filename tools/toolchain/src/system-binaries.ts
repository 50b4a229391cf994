import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { installScriptPath } from './toolchain-manifest.js';
import { toolchainErrors } from './toolchain-errors.js';

const installHint = (pkg: string): string =>
  `install the Debian package "${pkg}" (bash ${installScriptPath} does it when run as root)`;

/** First executable named `name` on PATH or in the extra directories. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs];
  return dirs.map((dir) => join(dir, name)).find((candidate) => existsSync(candidate));
}

function requireExecutable(name: string, pkg: string, extraDirs: string[] = []): string {
  const found = findExecutable(name, extraDirs);
  if (!found) throw toolchainErrors.MISSING({ tool: name, hint: installHint(pkg) });
  return found;
}

/** Debian installs the broker in /usr/sbin, which is not on every user's PATH. */
export const mosquittoBinary = (): string =>
  requireExecutable('mosquitto', 'mosquitto', ['/usr/sbin']);
export const mosquittoPasswdBinary = (): string =>
  requireExecutable('mosquitto_passwd', 'mosquitto', ['/usr/bin']);
/** promtool (Debian's prometheus package): unit tests of the chart's alert rules. */
export const promtoolBinary = (): string =>
  requireExecutable('promtool', 'prometheus', ['/usr/bin']);
/** The Prometheus server (Debian's prometheus package): the alerting e2e scrapes the services. */
export const prometheusBinary = (): string =>
  requireExecutable('prometheus', 'prometheus', ['/usr/bin']);
/** openssl: the local harness generates a CA and server certificates for TLS listeners. */
export const opensslBinary = (): string => requireExecutable('openssl', 'openssl', ['/usr/bin']);

/** Directory with initdb, pg_ctl and postgres: the newest Debian major under /usr/lib/postgresql. */
export function postgresBinDir(root = '/usr/lib/postgresql'): string {
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((entry) => existsSync(join(root, entry, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (newest === undefined)
    throw toolchainErrors.MISSING({ tool: 'postgresql', hint: installHint('postgresql') });
  return join(root, newest, 'bin');
}

/**
 * MariaDB (Debian's mariadb-server 10.11), the stand-in for MySQL, which Debian does not package:
 * the server and the script that initialises a data directory.
 */
export function mariadbBinaries(): { server: string; installDb: string } {
  return {
    server: requireExecutable('mariadbd', 'mariadb-server', ['/usr/sbin']),
    installDb: requireExecutable('mariadb-install-db', 'mariadb-server', ['/usr/bin']),
  };
}
