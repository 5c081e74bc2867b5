import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import { Recorder } from './recorder.ts';

/** One gateway payload, in either direction. `in` = sent by the client, `out` = sent by the emulator. */
export interface GatewayFrame {
  direction: 'in' | 'out';
  connectionId: number;
  shardId: number | null;
  sessionId: string | null;
  op: number;
  t: string | null;
  s: number | null;
  d: unknown;
  time: number;
}

export interface IdentifyRecord {
  connectionId: number;
  sessionId: string;
  shardId: number;
  shardCount: number;
  intents: number;
  token: string;
  properties: unknown;
  time: number;
}

export interface ResumeRecord {
  connectionId: number;
  sessionId: string;
  shardId: number | null;
  /** The last sequence the client said it had. */
  seq: number;
  accepted: boolean;
  /** How many missed dispatches were replayed before RESUMED. */
  replayed: number;
  time: number;
}

export interface GatewayConnectionRecord {
  id: number;
  path: string;
  query: Record<string, string>;
  openedAt: number;
  closedAt: number | null;
  closeCode: number | null;
  closeReason: string | null;
  closedBy: 'client' | 'emulator' | null;
  shardId: number | null;
  sessionId: string | null;
}

interface DispatchPayload {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

/** A gateway session: survives its connection, so a RESUME can pick it up and replay what it missed. */
export class GatewaySession {
  readonly id = randomBytes(16).toString('hex');
  seq = 0;
  readonly history: DispatchPayload[] = [];
  connection: GatewayConnection | null = null;
  invalidated = false;

  readonly shardId: number;
  readonly shardCount: number;
  readonly intents: number;

  constructor(shardId: number, shardCount: number, intents: number) {
    this.shardId = shardId;
    this.shardCount = shardCount;
    this.intents = intents;
  }

  hasIntent(bit: number): boolean {
    return (this.intents & bit) === bit;
  }
}

interface GatewayConnection {
  record: GatewayConnectionRecord;
  socket: WebSocket;
  session: GatewaySession | null;
}

export interface GatewayHooks {
  /** The dispatches that follow a successful IDENTIFY, READY first. */
  afterIdentify(session: GatewaySession): { t: string; d: unknown }[];
  /** Answer to REQUEST_GUILD_MEMBERS (op 8), as GUILD_MEMBERS_CHUNK data; null to stay silent. */
  requestGuildMembers?(session: GatewaySession, request: Record<string, unknown>): unknown;
}

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** Accepted `v` query values; Discord closes with 4012 for others. */
  version: string;
  hooks: GatewayHooks;
}

const WS_PATHS = new Set(['/gateway', '/gateway/', '/resume-gateway', '/resume-gateway/']);

/**
 * The gateway half of the emulator: one WebSocket server on the emulator's HTTP server, speaking
 * plain JSON text frames. Sessions, sequence numbers and replay-on-resume follow Discord's rules.
 */
export class Gateway {
  readonly frames = new Recorder<GatewayFrame>(
    (frame) => `${frame.direction} conn#${frame.connectionId} shard=${frame.shardId ?? '-'} op=${frame.op}${frame.t ? ` ${frame.t}` : ''}${frame.s === null ? '' : ` s=${frame.s}`}`,
  );
  readonly identifies = new Recorder<IdentifyRecord>((record) => `IDENTIFY shard [${record.shardId}, ${record.shardCount}]`);
  readonly resumes = new Recorder<ResumeRecord>(
    (record) => `RESUME ${record.sessionId} seq=${record.seq} accepted=${record.accepted} replayed=${record.replayed}`,
  );
  readonly connections: GatewayConnectionRecord[] = [];
  readonly closes = new Recorder<GatewayConnectionRecord>(
    (record) => `conn#${record.id} closed ${record.closeCode} by ${record.closedBy}`,
  );
  /** Problems the emulator refused (unsupported encoding/compression, bad payloads), for clear failures. */
  readonly protocolErrors: string[] = [];
  readonly sessions = new Map<string, GatewaySession>();
  /** The latest identified session of each shard id. */
  readonly sessionByShard = new Map<number, GatewaySession>();

  heartbeatAcks = true;

  readonly #server = new WebSocketServer({ noServer: true });
  readonly #live = new Set<GatewayConnection>();
  readonly #options: GatewayOptions;
  #nextConnectionId = 1;

  constructor(options: GatewayOptions) {
    this.#options = options;
  }

  /** Takes a WebSocket upgrade if it is for a gateway path; returns false to let the caller refuse it. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!WS_PATHS.has(url.pathname)) return false;
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#onConnection(ws, url));
    return true;
  }

  #onConnection(socket: WebSocket, url: URL): void {
    const record: GatewayConnectionRecord = {
      id: this.#nextConnectionId++,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      openedAt: Date.now(),
      closedAt: null,
      closeCode: null,
      closeReason: null,
      closedBy: null,
      shardId: null,
      sessionId: null,
    };
    const connection: GatewayConnection = { record, socket, session: null };
    this.connections.push(record);
    this.#live.add(connection);

    socket.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));
    socket.on('close', (code, reason) => {
      this.#live.delete(connection);
      record.closedAt = Date.now();
      record.closeCode = code;
      record.closeReason = reason.toString();
      record.closedBy ??= 'client';
      if (connection.session?.connection === connection) connection.session.connection = null;
      this.closes.push(record);
    });
    socket.on('error', () => {
      // A reset socket is reported through 'close' too; nothing else to do.
    });

    const encoding = url.searchParams.get('encoding') ?? 'json';
    const compress = url.searchParams.get('compress');
    const version = url.searchParams.get('v');
    if (version !== null && version !== this.#options.version) {
      this.#refuse(connection, GatewayCloseCodes.InvalidAPIVersion, `Invalid API version: v=${version}; the emulator speaks v${this.#options.version}.`);
      return;
    }
    if (encoding !== 'json') {
      this.#refuse(connection, GatewayCloseCodes.DecodeError, `encoding=${encoding} is not supported by the Discord emulator: only encoding=json.`);
      return;
    }
    if (compress !== null) {
      this.#refuse(
        connection,
        GatewayCloseCodes.DecodeError,
        `compress=${compress} is not supported by the Discord emulator (plain JSON only). discord.js asks for it when zlib-sync is installed.`,
      );
      return;
    }
    this.#send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs }, s: null, t: null });
  }

  #refuse(connection: GatewayConnection, code: number, message: string): void {
    this.protocolErrors.push(message);
    console.error(`[discord-emulator] ${message}`);
    this.#close(connection, code, message.slice(0, 120));
  }

  #close(connection: GatewayConnection, code: number, reason = ''): void {
    connection.record.closedBy ??= 'emulator';
    if (connection.socket.readyState === WebSocket.OPEN || connection.socket.readyState === WebSocket.CONNECTING) {
      connection.socket.close(code, reason);
    }
  }

  #send(connection: GatewayConnection, payload: { op: number; d: unknown; s: number | null; t: string | null }): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    this.frames.push({
      direction: 'out',
      connectionId: connection.record.id,
      shardId: connection.session?.shardId ?? null,
      sessionId: connection.session?.id ?? null,
      ...payload,
      time: Date.now(),
    });
    connection.socket.send(JSON.stringify(payload));
  }

  #onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frame');
      payload = JSON.parse(rawToString(data)) as { op?: unknown; d?: unknown };
    } catch {
      this.#refuse(connection, GatewayCloseCodes.DecodeError, 'The client sent a payload the emulator could not decode (it expects JSON text frames).');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.frames.push({
      direction: 'in',
      connectionId: connection.record.id,
      shardId: connection.session?.shardId ?? null,
      sessionId: connection.session?.id ?? null,
      op,
      t: null,
      s: null,
      d: payload.d,
      time: Date.now(),
    });
    const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<string, unknown>;

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        if (this.heartbeatAcks) this.#send(connection, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, d);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!connection.session) this.#close(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return;
      case GatewayOpcodes.RequestGuildMembers: {
        const session = connection.session;
        if (!session) {
          this.#close(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
          return;
        }
        const chunk = this.#options.hooks.requestGuildMembers?.(session, d);
        if (chunk) this.dispatch(session, GatewayDispatchEvents.GuildMembersChunk, chunk);
        return;
      }
      default:
        this.#close(connection, GatewayCloseCodes.UnknownOpcode, `Unknown opcode ${String(payload.op)}.`);
    }
  }

  #identify(connection: GatewayConnection, d: Record<string, unknown>): void {
    if (connection.session) {
      this.#close(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (typeof d['token'] !== 'string' || d['token'] === '') {
      this.#close(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const shard = Array.isArray(d['shard']) ? d['shard'] : [0, 1];
    const [shardId, shardCount] = [Number(shard[0]), Number(shard[1])];
    if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      this.#close(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return;
    }
    const intents = typeof d['intents'] === 'number' ? d['intents'] : 0;
    const session = new GatewaySession(shardId, shardCount, intents);
    this.sessions.set(session.id, session);
    this.sessionByShard.set(shardId, session);
    this.#attach(connection, session);
    this.identifies.push({
      connectionId: connection.record.id,
      sessionId: session.id,
      shardId,
      shardCount,
      intents,
      token: d['token'],
      properties: d['properties'],
      time: Date.now(),
    });
    for (const { t, d: data } of this.#options.hooks.afterIdentify(session)) this.dispatch(session, t, data);
  }

  #resume(connection: GatewayConnection, d: Record<string, unknown>): void {
    const sessionId = String(d['session_id']);
    const seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
    const session = this.sessions.get(sessionId);
    const time = Date.now();
    if (!session || session.invalidated) {
      this.resumes.push({ connectionId: connection.record.id, sessionId, shardId: session?.shardId ?? null, seq, accepted: false, replayed: 0, time });
      // Not resumable: the client must identify afresh (discord.js reconnects and does).
      this.#send(connection, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    const previous = session.connection;
    if (previous && previous !== connection) this.#close(previous, GatewayCloseCodes.SessionTimedOut, 'Session resumed elsewhere.');
    this.#attach(connection, session);
    const missed = session.history.filter((payload) => payload.s > seq);
    for (const payload of missed) this.#send(connection, payload);
    this.resumes.push({ connectionId: connection.record.id, sessionId, shardId: session.shardId, seq, accepted: true, replayed: missed.length, time });
    this.dispatch(session, GatewayDispatchEvents.Resumed, { _trace: ['discord-emulator'] });
  }

  #attach(connection: GatewayConnection, session: GatewaySession): void {
    connection.session = session;
    connection.record.shardId = session.shardId;
    connection.record.sessionId = session.id;
    session.connection = connection;
  }

  /**
   * Sends a dispatch (op 0) on a session with its next sequence number. While the session has no
   * open connection the dispatch is only kept, and is replayed when the client resumes.
   */
  dispatch(session: GatewaySession, t: string, d: unknown): number {
    const payload: DispatchPayload = { op: GatewayOpcodes.Dispatch, t, s: ++session.seq, d };
    session.history.push(payload);
    if (session.connection) this.#send(session.connection, payload);
    return payload.s;
  }

  /** Sends a raw payload on a session's open connection (e.g. op 7 RECONNECT, op 9, a server heartbeat request). */
  sendRaw(session: GatewaySession, payload: { op: number; d: unknown }): void {
    if (session.connection) this.#send(session.connection, { ...payload, s: null, t: null });
  }

  /** Closes open connections (of one shard, or all) with `code`; resolves once they are closed. */
  async closeConnections(code: number, reason: string, shardId?: number): Promise<number> {
    const targets = [...this.#live].filter((connection) => shardId === undefined || connection.session?.shardId === shardId);
    const closed = targets.map(
      (connection) =>
        new Promise<void>((resolve) => {
          if (connection.socket.readyState === WebSocket.CLOSED) resolve();
          else connection.socket.once('close', () => resolve());
        }),
    );
    for (const connection of targets) this.#close(connection, code, reason);
    await Promise.all(closed);
    return targets.length;
  }

  /** Drops every socket at once (no close handshake) and rejects pending waits. */
  terminate(): void {
    const closing = new Error('The Discord emulator was closed.');
    for (const connection of this.#live) connection.socket.terminate();
    this.#live.clear();
    this.#server.close();
    this.frames.close(closing);
    this.identifies.close(closing);
    this.resumes.close(closing);
    this.closes.close(closing);
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
