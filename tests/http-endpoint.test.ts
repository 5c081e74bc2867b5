import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type APIEmbed,
} from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defineChatInputCommand, type CommandModule } from '../src/discord/command.ts';
import { APOLOGY } from '../src/discord/dispatcher.ts';
import { parseConfig } from '../src/config.ts';
import type { KnowledgeBase } from '../src/knowledgeBase.ts';
import { startHttpEndpoint, type HttpEndpoint } from '../src/runtime/httpEndpoint.ts';
import { DiscordEmulator, type EmulatedInteraction, type InteractionSpec, type RecordedRequest } from './discord-emulator/emulator.ts';
import { articleKnowledgeBase, captureLogger } from './support/bot.ts';

const PEACEKEEPERS = 'How many peacekeepers did Russia deploy?';
const TOKEN = 'emulated-bot-token-for-the-http-endpoint';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The application's key pair, as the Developer Portal would hold it: Discord signs with the
// private key, the endpoint is configured with the 64 hex characters of the public key (the
// last 32 bytes of its SPKI DER encoding).
const keys = generateKeyPairSync('ed25519');
const PUBLIC_KEY_HEX = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

interface Delivered {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** Signs as Discord does: Ed25519 over the timestamp followed by the raw body. */
function signatureHeaders(body: string | Buffer, options: { key?: KeyObject; timestamp?: number } = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), options.key ?? keys.privateKey);
  return { 'x-signature-ed25519': signature.toString('hex'), 'x-signature-timestamp': timestamp };
}

async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<Delivered> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

function json(delivered: Delivered): Record<string, unknown> {
  return JSON.parse(delivered.body.toString('utf8')) as Record<string, unknown>;
}

/**
 * An HTTP-only bot (the endpoint) and the Discord around it. The emulator builds each
 * interaction exactly as Discord does and keeps its REST side (webhooks, pins); the test plays
 * the part of Discord that POSTs the signed interaction to the endpoint and turns the HTTP answer
 * into the interaction's callback. Until that callback is in, Discord knows no webhook for the
 * token, so the endpoint's REST calls to webhooks wait at a gate in front of the emulator.
 */
async function discordWithEndpoint(
  options: { knowledgeBase?: () => KnowledgeBase; commands?: readonly CommandModule[]; deferAfterMs?: number } = {},
) {
  const kb = await articleKnowledgeBase();
  const emulator = await DiscordEmulator.start();
  const gate = await startWebhookGate(emulator);
  const observer = await identifyWithoutHandling(emulator);
  const { logger, lines: logs } = captureLogger();
  onTestFinished(async () => {
    observer.close();
    await gate.close();
    await emulator.close();
  });
  const endpoint: HttpEndpoint = await startHttpEndpoint({
    config: parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX, DISCORD_API_URL: gate.apiUrl, COOLDOWN_SECONDS: '0' }),
    knowledgeBase: options.knowledgeBase ?? (() => kb),
    logger,
    host: '127.0.0.1',
    port: 0,
    ...(options.commands ? { commands: options.commands } : {}),
    ...(options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {}),
  });
  onTestFinished(() => endpoint.close());
  const url = endpoint.interactionsUrl;

  return {
    emulator,
    endpoint,
    url,
    logs,
    /** Creates the interaction in Discord, delivers it signed, and relays the answer as the callback. */
    async deliver(spec: InteractionSpec): Promise<{ interaction: EmulatedInteraction; answer: Delivered; callback: RecordedRequest | undefined }> {
      const interaction = emulator.dispatchInteraction(spec);
      const body = JSON.stringify(interaction.payload);
      const answer = await post(url, body, signatureHeaders(body));
      let callback: RecordedRequest | undefined;
      if (answer.status === 200) {
        await fetch(`${emulator.apiUrl}/v10${interaction.callbackPath}`, {
          method: 'POST',
          body: answer.body,
          headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
        });
        callback = await interaction.waitForCallback();
      }
      gate.open(interaction.token);
      return { interaction, answer, callback };
    },
  };
}

/** A gateway session that receives the interactions the emulator builds but answers none of them. */
async function identifyWithoutHandling(emulator: DiscordEmulator): Promise<WebSocket> {
  const socket = new WebSocket(`${emulator.gatewayUrl}?v=10&encoding=json`);
  await once(socket, 'message');
  socket.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 0, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
  await emulator.waitForIdentify();
  return socket;
}

/** A pass-through proxy to the emulator that holds each webhook request until its token is opened. */
async function startWebhookGate(emulator: DiscordEmulator) {
  const opened = new Map<string, { promise: Promise<void>; open: () => void }>();
  const entry = (token: string) => {
    let found = opened.get(token);
    if (!found) {
      let open = () => {};
      const promise = new Promise<void>((resolve) => (open = resolve));
      found = { promise, open };
      opened.set(token, found);
    }
    return found;
  };
  const server = createServer((incoming, outgoing) => {
    const token = /\/webhooks\/\d+\/([^/?]+)/.exec(incoming.url ?? '')?.[1];
    const ready = token === undefined ? Promise.resolve() : entry(decodeURIComponent(token)).promise;
    void ready.then(() => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: emulator.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    open: (token: string) => entry(token).open(),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a body over a raw HTTP/1.1 request and resolves with the first answer, even if the server hangs up mid-upload. */
function rawUpload(url: string, headers: Record<string, string>, write: (request: ReturnType<typeof httpRequest>) => void) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    // Writing after the server refused the upload fails with EPIPE or ECONNRESET: expected here.
    request.on('error', (error) => reject(error));
    write(request);
  });
}

function embedOf(data: unknown): APIEmbed {
  const embed = (data as { embeds?: APIEmbed[] }).embeds?.[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(data)}`);
  return embed;
}

describe('HTTP interactions endpoint: verifying requests', () => {
  it('answers a signed PING with PONG', async () => {
    const { url } = await discordWithEndpoint();
    const body = JSON.stringify({ id: '1', application_id: '2', type: 1, token: 'ping', version: 1 });
    const answer = await post(url, body, signatureHeaders(body));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(json(answer)).toEqual({ type: 1 });
  });

  it('refuses requests without a valid signature with 401, as Discord checks when the URL is saved', async () => {
    const { url } = await discordWithEndpoint();
    const body = JSON.stringify({ type: 1 });
    expect((await post(url, body, {})).status).toBe(401);
    expect((await post(url, body, { 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)) })).status).toBe(401);
    // Signed by another key.
    expect((await post(url, body, signatureHeaders(body, { key: generateKeyPairSync('ed25519').privateKey }))).status).toBe(401);
    // Signed, then altered: the signature covers the exact bytes.
    expect((await post(url, JSON.stringify({ type: 1, x: 1 }), signatureHeaders(body))).status).toBe(401);
    expect((await post(url, body, { ...signatureHeaders(body), 'x-signature-ed25519': 'not hex' })).status).toBe(401);
  });

  it('refuses a correctly signed request whose timestamp is over 5 minutes off (a replay)', async () => {
    const { url } = await discordWithEndpoint();
    const body = JSON.stringify({ type: 1 });
    const now = Math.floor(Date.now() / 1000);
    // Six minutes either way: a margin over the five, since the timestamp has whole seconds.
    expect((await post(url, body, signatureHeaders(body, { timestamp: now - 360 }))).status).toBe(401);
    expect((await post(url, body, signatureHeaders(body, { timestamp: now + 360 }))).status).toBe(401);
    expect((await post(url, body, signatureHeaders(body, { timestamp: now - 60 }))).status).toBe(200);
  });

  it('refuses a declared body over 1 MB with 413 before reading it', async () => {
    const { url } = await discordWithEndpoint();
    // Only the headers go out: a 413 that arrives proves the endpoint did not wait for 2 MB.
    const answer = await rawUpload(url, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) }, (request) => {
      request.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
  });

  it('refuses a streamed body once it passes 1 MB with 413', async () => {
    const { url } = await discordWithEndpoint();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    const answer = await rawUpload(url, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, (request) => {
      // Keep writing until the server answers; it must not wait for the end of the body.
      const pump = () => {
        while (written < 8 * 1024 * 1024 && !request.destroyed) {
          written += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
      };
      request.on('response', () => request.destroy());
      pump();
    });
    expect(answer.status).toBe(413);
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('answers a signed body that is not JSON with 400, and a signed JSON that is not an interaction with 400', async () => {
    const { url } = await discordWithEndpoint();
    expect((await post(url, 'not json', signatureHeaders('not json'))).status).toBe(400);
    const notAnInteraction = JSON.stringify({ hello: 'world' });
    expect((await post(url, notAnInteraction, signatureHeaders(notAnInteraction))).status).toBe(400);
  });

  it('answers 405 to other methods, 404 elsewhere, and 200 on /healthz for load balancers', async () => {
    const { endpoint, url } = await discordWithEndpoint();
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${endpoint.url}/nowhere`, { method: 'POST', body: '{}' })).status).toBe(404);
    const health = await fetch(`${endpoint.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

describe('HTTP interactions endpoint: answering commands', () => {
  it('answers /ask in the HTTP response with the cited ¶27 passage and no pings', async () => {
    const discord = await discordWithEndpoint();
    const { answer, callback, interaction } = await discord.deliver({
      type: 'chatInput',
      name: 'ask',
      options: [{ name: 'question', type: ApplicationCommandOptionType.String, value: PEACEKEEPERS }],
    });
    expect(answer.status).toBe(200);
    const body = json(answer);
    expect(body['type']).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = body['data'] as Record<string, unknown>;
    expect(embedOf(data).description).toContain('¶27');
    expect(embedOf(data).description).toContain('2,000');
    expect(data['allowed_mentions']).toEqual({ parse: [] });
    expect(data['flags']).toBeUndefined();
    // Discord (the emulator) accepted it as the interaction's answer and posted the message.
    expect(callback?.response.status).toBe(204);
    expect(interaction.originalMessage()?.embeds[0]?.description).toContain('¶27');
  });

  it('sends the /timeline picture as multipart/form-data with payload_json and files[0]', async () => {
    const discord = await discordWithEndpoint();
    const { answer, callback, interaction } = await discord.deliver({ type: 'chatInput', name: 'timeline' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(answer.body, { headers: { 'content-type': answer.headers.get('content-type') ?? '' } }).formData();
    const payload = JSON.parse(String(form.get('payload_json'))) as { type: number; data: Record<string, unknown> };
    expect(payload.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(payload.data['attachments']).toEqual([{ id: 0, filename: 'timeline.png', description: 'The events on a time axis' }]);
    expect(embedOf(payload.data).title).toBeTruthy();
    const file = form.get('files[0]') as File;
    expect(file.name).toBe('timeline.png');
    expect(file.type).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 8)).toEqual(PNG_SIGNATURE);

    expect(callback?.response.status).toBe(204);
    expect(callback?.files).toEqual([expect.objectContaining({ field: 'files[0]', filename: 'timeline.png' })]);
    expect(interaction.originalMessage()?.attachments.map((a) => a.filename)).toEqual(['timeline.png']);
  });

  it('answers autocomplete with type 8 and at most 25 choices', async () => {
    const discord = await discordWithEndpoint();
    const { answer, callback } = await discord.deliver({
      type: 'autocomplete',
      name: 'quote',
      options: [{ name: 'passage', type: ApplicationCommandOptionType.String, value: '', focused: true }],
    });
    const body = json(answer) as { type: number; data: { choices: { name: string; value: string }[] } };
    expect(body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(body.data.choices.length).toBeGreaterThan(0);
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
    expect(body.data.choices[0]?.value).toBe('sochi-summit-2022-10-31#1');
    expect(callback?.response.status).toBe(204);
  });

  it('defers /pin-summary (type 5), pins through REST with the bot token, and fills @original', async () => {
    const discord = await discordWithEndpoint();
    const { emulator } = discord;
    const { answer, interaction } = await discord.deliver({
      type: 'chatInput',
      name: 'pin-summary',
      memberPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.PinMessages,
    });
    expect(json(answer)).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });

    const edit = await emulator.waitForRequest((request) => request.method === 'PATCH' && request.path.includes('/messages/@original'));
    expect(edit.path).toBe(`/webhooks/${emulator.applicationId}/${interaction.token}/messages/@original`);
    expect(edit.response.status).toBe(200);
    expect(edit.body).toMatchObject({ content: '✅ Posted and pinned the summary.', allowed_mentions: { parse: [] } });
    // Webhook routes are authorised by the interaction token; pins by the bot token.
    expect(edit.headers.authorization).toBeUndefined();
    const pin = emulator.requests.find((request) => request.method === 'PUT' && request.path.includes('/pins/'));
    expect(pin?.headers.authorization).toBe(`Bot ${TOKEN}`);
    const pinned = emulator.pinnedMessages(emulator.defaultChannel.id);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]?.author.id).toBe(emulator.botUser.id);
    expect(interaction.originalMessage()?.content).toBe('✅ Posted and pinned the summary.');
  });

  it('reads the target of a message context-menu command from data.resolved', async () => {
    const discord = await discordWithEndpoint();
    const target = discord.emulator.createMessage(discord.emulator.defaultChannel.id, { content: PEACEKEEPERS });
    const { answer, callback } = await discord.deliver({ type: 'messageContextMenu', name: 'Find in article', targetMessageId: target.id });
    const body = json(answer) as { type: number; data: Record<string, unknown> };
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(JSON.stringify(body.data)).toContain('¶27');
    expect(callback?.response.status).toBe(204);
  });

  it('answers a button on a message with the full passage, privately', async () => {
    const discord = await discordWithEndpoint();
    const message = discord.emulator.createMessage(discord.emulator.defaultChannel.id, { content: 'an answer' });
    const { answer, callback } = await discord.deliver({ type: 'component', messageId: message.id, customId: 'ask:full:sochi-summit-2022-10-31#27' });
    const body = json(answer) as { type: number; data: Record<string, unknown> };
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data['flags']).toBe(MessageFlags.Ephemeral);
    expect(embedOf(body.data).description).toContain('2,000 peacekeepers');
    expect(callback?.response.status).toBe(204);
  });

  it('answers with the apology when answering throws, logs it, and keeps serving', async () => {
    const kb = await articleKnowledgeBase();
    let broken = true;
    const discord = await discordWithEndpoint({
      knowledgeBase: () => {
        if (broken) throw new Error('the index is being rebuilt');
        return kb;
      },
    });
    const ask: InteractionSpec = { type: 'chatInput', name: 'ask', options: [{ name: 'question', type: ApplicationCommandOptionType.String, value: PEACEKEEPERS }] };
    const failed = await discord.deliver(ask);
    expect(json(failed.answer)).toEqual({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: APOLOGY, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
    expect(failed.callback?.response.status).toBe(204);
    expect(discord.logs).toContainEqual(expect.objectContaining({ msg: 'interaction failed', command: '/ask', err: expect.objectContaining({ message: 'the index is being rebuilt' }) }));

    broken = false;
    const next = await discord.deliver(ask);
    expect(embedOf((json(next.answer) as { data: unknown }).data).description).toContain('¶27');
  });

  it('defers a command that outlasts the time budget and finishes it through REST', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = defineChatInputCommand({
      definition: { name: 'slow', description: 'Takes its time' },
      async execute() {
        await released;
        return { kind: 'reply', reply: { content: 'finally', ephemeral: true } };
      },
    });
    const discord = await discordWithEndpoint({ commands: [slow as CommandModule], deferAfterMs: 100 });
    const started = Date.now();
    const { answer, interaction } = await discord.deliver({ type: 'chatInput', name: 'slow' });
    // Answered by the budget, not by the command; private, as the command does not post publicly.
    expect(json(answer)).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    const edit = await discord.emulator.waitForRequest((request) => request.method === 'PATCH');
    expect(edit.body).toMatchObject({ content: 'finally' });
    expect(edit.response.status).toBe(200);
    expect(interaction.originalMessage()?.content).toBe('finally');
    expect(discord.logs).toContainEqual(expect.objectContaining({ msg: 'slow interaction: deferring it' }));
  });

  it('answers interaction types it does not handle (a modal submit) with a private note', async () => {
    const discord = await discordWithEndpoint();
    const { answer, callback } = await discord.deliver({ type: 'modalSubmit', customId: 'form', components: [] });
    expect(json(answer)).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    expect(callback?.response.status).toBe(204);
  });
});
