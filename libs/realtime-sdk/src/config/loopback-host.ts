import { isIP } from 'node:net';

/**
 * Whether `host` (a listen address, a URL host name or a socket's local address) can only be
 * reached from this machine: `localhost`, 127.0.0.0/8, `::1` and their IPv4-mapped forms. What
 * the SDK relaxes on loopback (auth off, http JWKS, no `iss`/`aud`) is decided here, once.
 * `0.0.0.0`/`::` (every interface) and any name other than `localhost` are not loopback.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const name = bare.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const v4 = name.startsWith('::ffff:') ? name.slice('::ffff:'.length) : name;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  return isIP(name) === 6 && (name === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(name));
}

/** Why a JWKS URL is refused (undefined when it is fine): not a URL, not http(s), http off loopback. */
export function jwksUrlProblem(jwksUrl: string): string | undefined {
  if (!URL.canParse(jwksUrl)) return 'must be a URL';
  const url = new URL(jwksUrl);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'must be an https URL';
  return isLoopbackHost(url.hostname)
    ? undefined
    : 'must be https (http only for a JWKS on this machine: localhost, 127.0.0.1, ::1)';
}
