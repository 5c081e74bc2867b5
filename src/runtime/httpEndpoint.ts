import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from '@discordjs/rest';
import { InteractionResponseType, MessageFlags, Routes, type APIUser } from 'discord-api-types/v10';
import { COMMANDS } from '../../commands/index.ts';
import type { Config } from '../config.ts';
import { parseArguments } from '../discord/arguments.ts';
import { restChannelActions, type ChannelActions } from '../discord/channelActions.ts';
import type { CommandModule } from '../discord/command.ts';
import { Cooldown } from '../discord/cooldown.ts';
import { APOLOGY, Dispatcher, type Incoming } from '../discord/dispatcher.ts';
import { INTERACTION_ACK_DEADLINE_MS } from '../discord/limits.ts';
import type { KnowledgeBase } from '../knowledgeBase.ts';
import type { Logger } from '../logger.ts';
import { MAX_BODY_BYTES, readLimitedBody } from './http/body.ts';
import { parseInteraction, type InteractionRoute } from './http/interaction.ts';
import { jsonAnswer, type HttpAnswer } from './http/multipart.ts';
import { HttpResponder } from './http/responder.ts';
import { checkSignature, publicKeyFromHex } from './http/signature.ts';

/** Answer or defer by then: Discord drops an interaction left unanswered for 3 s. */
export const DEFAULT_DEFER_AFTER_MS = INTERACTION_ACK_DEADLINE_MS - 500;

export const INTERACTIONS_PATH = '/interactions';
export const HEALTH_PATH = '/healthz';

export interface HttpEndpointOptions {
  readonly config: Config;
  /** The knowledge base to answer from now: it may be swapped while the endpoint runs. */
  readonly knowledgeBase: () => KnowledgeBase;
  readonly logger: Logger;
  /** Default: INTERACTIONS_PORT, else any free port (see `url`). */
  readonly port?: number;
  /** Default: INTERACTIONS_HOST. */
  readonly host?: string;
  /** How long an interaction may run before it is deferred and finished through REST. */
  readonly deferAfterMs?: number;
  /** Default: the command registry. */
  readonly commands?: readonly CommandModule[];
  /** The clock for button expiry and cooldowns; tests move it instead of waiting. */
  readonly now?: () => number;
}

export interface HttpEndpoint {
  /** Where the server listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The URL to enter as the Interactions Endpoint URL (behind your HTTPS proxy). */
  readonly interactionsUrl: string;
  /** Stops accepting requests and waits for the interactions in flight (their REST calls too). */
  close(): Promise<void>;
}

/**
 * Discord's other transport: an HTTP server Discord POSTs each interaction to. Every request is
 * verified (Ed25519 over timestamp + body) and answered on its own, with nothing kept between
 * requests but the per-process cooldown, so any number of replicas can sit behind a load
 * balancer. The first answer is the HTTP response; a deferred answer is finished over REST.
 */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpoint> {
  const { config, logger } = options;
  if (!config.DISCORD_PUBLIC_KEY) throw new Error('DISCORD_PUBLIC_KEY is required to serve interactions over HTTP (requests must be verified)');
  const publicKey = publicKeyFromHex(config.DISCORD_PUBLIC_KEY);
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {});
  const channel = await channelActions(rest, config, logger);
  const commands = options.commands ?? COMMANDS;
  const dispatcher = new Dispatcher({
    commands,
    knowledgeBase: options.knowledgeBase,
    logger,
    cooldown: new Cooldown(config.COOLDOWN_SECONDS, options.now),
    ...(channel ? { channel } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const byName = new Map(commands.map((c) => [c.definition.name, c]));
  const inFlight = new Set<Promise<void>>();

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (request, response) => {
    const work = serve(request, response).catch((error: unknown) => {
      logger.error({ err: error, method: request.method, path: request.url }, 'interactions endpoint failed on a request');
      if (!response.headersSent) write(response, jsonAnswer(500, { error: 'internal error' }));
      else response.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  // Load balancers keep connections open for about a minute: outlast them, or requests race a close.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    logger.debug({ err: error }, 'malformed or stalled HTTP request');
    if (!socket.writable) return void socket.destroy();
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    if (path === HEALTH_PATH) {
      if (method === 'GET' || method === 'HEAD') write(response, jsonAnswer(200, { status: 'ok' }));
      else write(response, jsonAnswer(405, { error: 'method not allowed' }, { allow: 'GET, HEAD' }));
      return;
    }
    if (path !== INTERACTIONS_PATH) return write(response, jsonAnswer(404, { error: 'not found' }));
    if (method !== 'POST') return write(response, jsonAnswer(405, { error: 'method not allowed' }, { allow: 'POST' }));

    const read = await readLimitedBody(request, MAX_BODY_BYTES);
    if (read.kind === 'aborted') return void response.destroy();
    if (read.kind === 'too-large') {
      // Stop here: the rest of the body is never read, and the connection goes with the answer.
      write(response, jsonAnswer(413, { error: `the body is over ${MAX_BODY_BYTES} bytes` }, { connection: 'close' }));
      response.once('finish', () => request.destroy());
      return;
    }
    const signature = checkSignature({
      publicKey,
      signature: header(request, 'x-signature-ed25519'),
      timestamp: header(request, 'x-signature-timestamp'),
      body: read.body,
    });
    if (!signature.ok) {
      logger.debug({ reason: signature.reason }, 'refused an unverified request');
      return write(response, jsonAnswer(401, { error: `invalid request signature (${signature.reason})` }));
    }
    let payload: unknown;
    try {
      payload = JSON.parse(read.body.toString('utf8'));
    } catch {
      return write(response, jsonAnswer(400, { error: 'the body is not JSON' }));
    }
    const parsed = parseInteraction(payload);
    switch (parsed.kind) {
      case 'invalid':
        logger.warn({ reason: parsed.reason }, 'refused a signed request that is not a valid interaction');
        return write(response, jsonAnswer(400, { error: parsed.reason }));
      case 'ping':
        return write(response, jsonAnswer(200, { type: InteractionResponseType.Pong }));
      case 'unsupported':
        logger.info({ interaction: parsed.route.id, type: parsed.type }, 'unsupported interaction type');
        return write(
          response,
          jsonAnswer(200, {
            type: InteractionResponseType.ChannelMessageWithSource,
            data: { content: 'This bot does not handle that kind of interaction.', flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
          }),
        );
      case 'interaction':
        return answer(parsed.incoming, parsed.route, response);
    }
  }

  async function answer(incoming: Incoming, route: InteractionRoute, response: ServerResponse): Promise<void> {
    let sent = false;
    const responder = new HttpResponder(route, rest, async (httpAnswer) => {
      if (sent) throw new Error('the HTTP response was already sent');
      sent = true;
      await writeAndFlush(response, httpAnswer);
    });
    // Discord waits 3 s for the HTTP answer: whatever is still running then finishes over REST.
    const timer = setTimeout(() => {
      if (!responder.pending) return;
      logger.warn({ interaction: route.id, type: incoming.type, afterMs: deferAfterMs }, 'slow interaction: deferring it');
      deferInTime(incoming, responder, byName).catch((error: unknown) => {
        logger.error({ err: error, interaction: route.id }, 'could not defer a slow interaction');
      });
    }, deferAfterMs);
    try {
      await dispatcher.handle(incoming, responder);
    } finally {
      clearTimeout(timer);
    }
    if (responder.pending) {
      // The dispatcher always answers; this only guards against a bug in it.
      logger.error({ interaction: route.id }, 'the dispatcher returned without answering');
      await responder.reply({ content: APOLOGY, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } }, []);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.INTERACTIONS_PORT ?? 0, options.host ?? config.INTERACTIONS_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.info({ url: `${url}${INTERACTIONS_PATH}`, pinning: channel !== undefined }, 'serving Discord interactions over HTTP');

  return {
    url,
    interactionsUrl: `${url}${INTERACTIONS_PATH}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Pinning needs the bot token (the webhook routes do not). The bot's user id, which marks its own
 * pinned summaries, is read once at start.
 */
async function channelActions(rest: REST, config: Config, logger: Logger): Promise<ChannelActions | undefined> {
  if (!config.DISCORD_TOKEN) {
    logger.warn('DISCORD_TOKEN is not set: the endpoint answers interactions, but /pin-summary cannot post or pin');
    return undefined;
  }
  rest.setToken(config.DISCORD_TOKEN);
  let me: APIUser;
  try {
    me = (await rest.get(Routes.user('@me'))) as APIUser;
  } catch (error) {
    throw new Error(`could not read the bot user with DISCORD_TOKEN (is the token right?): ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return restChannelActions(rest, me.id);
}

/**
 * Defers an interaction that is taking too long, keeping the visibility its answer would have:
 * a button is acknowledged silently (its message is then edited, or a follow-up sent); a command
 * that would post publicly gets a public loading message, anything else a private one. An
 * autocomplete cannot be deferred: it gets no choices.
 */
async function deferInTime(incoming: Incoming, responder: HttpResponder, byName: ReadonlyMap<string, CommandModule>): Promise<void> {
  switch (incoming.type) {
    case 'autocomplete':
      return responder.autocomplete([]);
    case 'component':
      return responder.deferUpdate();
    case 'message-command':
    case 'command': {
      const command = byName.get(incoming.name);
      if (command?.defer) return responder.defer(command.defer.ephemeral);
      return responder.defer(!postsPublicly(command, incoming));
    }
  }
}

function postsPublicly(command: CommandModule | undefined, incoming: Extract<Incoming, { type: 'command' | 'message-command' }>): boolean {
  if (!command?.postsPublicly) return false;
  if (command.kind !== 'chatInput' || !command.isPublic || incoming.type !== 'command') return true;
  try {
    return command.isPublic(parseArguments(command.definition, incoming.options) as never);
  } catch {
    return false;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function write(response: ServerResponse, answer: HttpAnswer): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  response.end(answer.body);
}

/** Resolves once the answer is handed to the network; rejects if the connection closed first. */
function writeAndFlush(response: ServerResponse, answer: HttpAnswer): Promise<void> {
  return new Promise((resolve, reject) => {
    const gone = () => new Error('the connection closed before the interaction was answered (Discord stops waiting after 3 s)');
    if (response.destroyed) return reject(gone());
    const onFinish = () => {
      response.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      response.off('finish', onFinish);
      reject(gone());
    };
    response.once('finish', onFinish);
    response.once('close', onClose);
    write(response, answer);
  });
}
