import websocket from '@fastify/websocket';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sdkErrors } from '../sdk.errors.js';
import {
  bearerProtocol,
  createTokenVerifier,
  extractToken,
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

const rejectionReason = (code: string): string =>
  code.replace('RTP_ERR_SDK_WS_AUTH_TOKEN_', '').toLowerCase();

/**
 * The WebSocket hub as a fastify plugin (on @fastify/websocket, which it registers itself so it
 * controls `maxPayload`, compression and subprotocol selection). Options are validated here, at
 * register, so a bad option fails `app.ready()`, not the first client.
 *
 * - Authentication is on unless `auth: false`: the token is verified in `preValidation`, before
 *   the upgrade; failures answer HTTP 401 and the connection never opens.
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
  const { path, auth: _auth, maxPayload, ...core } = options;
  const hub = new WsHub(core);
  const metrics = core.metrics;

  fastify.decorate('realtimeHub', hub);
  fastify.decorateRequest('realtimeAuth', null);

  fastify.register(websocket, {
    options: {
      maxPayload,
      perMessageDeflate: false,
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

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (verify === undefined) return;
    const token = extractToken(request.headers);
    try {
      if (token === undefined) throw sdkErrors.WS_AUTH_TOKEN_MISSING(undefined);
      request.realtimeAuth = await verify(token);
    } catch (error) {
      const coded = isRealtimePlatformError(error)
        ? error
        : sdkErrors.WS_AUTH_TOKEN_INVALID({ reason: 'verification failed' });
      metrics?.wsAuthRejected.inc({ reason: rejectionReason(coded.code) });
      request.log.info({ code: coded.code }, 'websocket upgrade refused');
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer error="invalid_token"')
        .send({ code: coded.code, message: coded.message });
    }
  };

  fastify.register(async (instance) => {
    instance.get(path, { websocket: true, preValidation: authenticate }, (socket, request) => {
      // Synchronously: messages sent right after the upgrade are not lost.
      hub.addClient(socket, request.raw.socket, request.realtimeAuth);
    });
  });
  next();
};

/** `app.register(wsHubPlugin, { topics, auth: { secret } })`. */
export const wsHubPlugin = fp(plugin, { fastify: '5.x', name: wsHubPluginName });
export default wsHubPlugin;
