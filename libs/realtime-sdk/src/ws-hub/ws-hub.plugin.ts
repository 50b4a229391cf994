import websocket from '@fastify/websocket';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sdkErrors } from '../sdk.errors.js';
import {
  bearerProtocol,
  createTokenVerifier,
  extractToken,
  remoteAuthRefusal,
  type TokenVerifier,
} from './ws-hub.auth.js';
import {
  resolveWsHubPluginOptions,
  type AuthContext,
  type WsHubPluginInput,
} from './ws-hub.options.js';
import { WsHub } from './ws-hub.js';
import { isRealtimePlatformError } from '@realtime-platform/errors';

declare module 'fastify' {
  interface FastifyInstance {
    /** The hub of this server: `app.realtimeHub.publish(topic, data)`. */
    realtimeHub: WsHub;
  }
  interface FastifyRequest {
    /** The verified token of a WebSocket upgrade (null when auth is off or on other routes). */
    realtimeAuth: AuthContext | null;
  }
}

export const wsHubPluginName = '@realtime-platform/ws-hub';

/** `RTP_ERR_SDK_WS_AUTH_TOKEN_EXPIRED` → `expired`, `RTP_ERR_SDK_ACCESS_CLAIM_MISSING` → `access_claim_missing`. */
const rejectionReason = (code: string): string =>
  code.replace('RTP_ERR_SDK_', '').replace('WS_AUTH_TOKEN_', '').toLowerCase();

/** The HTTP status of a refused upgrade, by code (401 for every token problem). */
const refusalStatus = (code: string): number =>
  code === sdkErrors.WS_CONNECTION_LIMIT.code ||
  code === sdkErrors.WS_AUTH_ISSUER_AUDIENCE_REQUIRED.code
    ? 503
    : code.startsWith('RTP_ERR_SDK_ACCESS_') || code === sdkErrors.WS_AUTH_DISABLED_REMOTE.code
      ? 403
      : 401;

/**
 * The WebSocket hub as a fastify plugin (on @fastify/websocket, which it registers itself so it
 * controls `maxPayload`, compression and subprotocol selection). Options are validated here, at
 * register, so a bad option fails `app.ready()`, not the first client.
 *
 * - Authentication is on unless `auth: false`: the token is verified in `preValidation`, before
 *   the upgrade; failures answer HTTP 401 (403 for a token that grants nothing) and the
 *   connection never opens. `auth: false` serves only connections that arrive on a loopback
 *   address unless `unsafeAllowUnauthenticatedRemote`; with auth on, a non-loopback connection
 *   needs `issuer` and `audience` configured. Every upgrade decision goes to the audit log.
 * - At `maxConnections` clients, upgrades get HTTP 503 (`RTP_ERR_SDK_WS_CONNECTION_LIMIT`).
 * - `preClose` closes every client (1001) and waits, so `app.close()` finishes.
 */
const plugin: FastifyPluginCallback<WsHubPluginInput> = (fastify, input, next) => {
  let verify: TokenVerifier | undefined;
  let options;
  try {
    options = resolveWsHubPluginOptions(input);
    verify = options.auth === false ? undefined : createTokenVerifier(options.auth);
  } catch (error) {
    return next(error as Error);
  }
  if (fastify.hasDecorator('websocketServer'))
    return next(sdkErrors.WS_WEBSOCKET_ALREADY_REGISTERED(undefined));
  const { path, auth, maxPayload, unsafeAllowUnauthenticatedRemote, ...core } = options;
  const hub = new WsHub(core);
  const metrics = core.metrics;
  if (auth === false && unsafeAllowUnauthenticatedRemote) {
    // Loud on purpose: this serves every patient's data to whoever reaches the port.
    (core.logger ?? fastify.log).warn(
      { unsafeAllowUnauthenticatedRemote },
      'WebSocket authentication is OFF for every network (unsafe): anyone who reaches this port can subscribe to any device',
    );
  }

  fastify.decorate('realtimeHub', hub);
  fastify.decorateRequest('realtimeAuth', null);

  fastify.register(websocket, {
    options: {
      maxPayload,
      perMessageDeflate: false,
      // The hub answers pings through each client's bounded queue (a client sending pings
      // without reading pongs must not grow the server).
      autoPong: false,
      // Echo `bearer`, never the token that follows it.
      handleProtocols: (protocols: Set<string>) =>
        protocols.has(bearerProtocol) ? bearerProtocol : false,
    },
    preClose(done) {
      hub.close().then(
        () => this.websocketServer.close(() => done()),
        (error: unknown) => done(error as Error),
      );
    },
  });

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    who?: string,
  ): Promise<void> => {
    const coded = isRealtimePlatformError(error)
      ? error
      : sdkErrors.WS_AUTH_TOKEN_INVALID({ reason: 'verification failed' });
    const status = refusalStatus(coded.code);
    if (coded.code === sdkErrors.WS_CONNECTION_LIMIT.code)
      metrics?.wsConnectionsRefused.inc({ reason: 'limit' });
    else metrics?.wsAuthRejected.inc({ reason: rejectionReason(coded.code) });
    hub.audit.record({
      who,
      action: 'connect',
      route: path,
      remote: request.ip,
      allowed: false,
      reason: coded.code,
    });
    if (status === 401) reply.header('www-authenticate', 'Bearer error="invalid_token"');
    if (status === 503) reply.header('retry-after', '5');
    await reply.code(status).send({ code: coded.code, message: coded.message });
  };

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Cheapest first: a full server refuses before spending a signature check.
    if (hub.full)
      return refuse(request, reply, sdkErrors.WS_CONNECTION_LIMIT({ limit: core.maxConnections }));
    const unsafe = remoteAuthRefusal(
      auth,
      unsafeAllowUnauthenticatedRemote,
      request.raw.socket.localAddress,
    );
    if (unsafe !== undefined) {
      if (unsafe.code === sdkErrors.WS_AUTH_ISSUER_AUDIENCE_REQUIRED.code)
        request.log.error({ code: unsafe.code }, unsafe.message);
      return refuse(request, reply, unsafe);
    }
    if (verify === undefined) {
      hub.audit.record({
        who: undefined,
        action: 'connect',
        route: path,
        remote: request.ip,
        allowed: true,
      });
      return;
    }
    const token = extractToken(request.headers);
    let context: AuthContext;
    try {
      if (token === undefined) throw sdkErrors.WS_AUTH_TOKEN_MISSING(undefined);
      context = await verify(token);
    } catch (error) {
      request.log.info(
        { code: isRealtimePlatformError(error) ? error.code : undefined },
        'websocket upgrade refused',
      );
      return refuse(request, reply, error);
    }
    try {
      // A token that grants nothing opens nothing: refused here, not at every subscription.
      request.realtimeAuth = { ...context, access: hub.access.grantOf(context.claims) };
    } catch (error) {
      return refuse(request, reply, error, context.subject);
    }
    hub.audit.record({
      who: context.subject,
      action: 'connect',
      route: path,
      remote: request.ip,
      allowed: true,
    });
  };

  fastify.register(async (instance) => {
    instance.get(path, { websocket: true, preValidation: authenticate }, (socket, request) => {
      // Synchronously: messages sent right after the upgrade are not lost.
      hub.addClient(socket, request.raw.socket, request.realtimeAuth, request.ip);
    });
  });
  next();
};

/** `app.register(wsHubPlugin, { topics, auth: { secret } })`. */
export const wsHubPlugin = fp(plugin, { fastify: '5.x', name: wsHubPluginName });
export default wsHubPlugin;
