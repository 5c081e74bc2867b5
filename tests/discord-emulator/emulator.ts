import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIEmbed,
  type APIMessage,
  type APIOverwrite,
  type APIRole,
  type APIUser,
} from 'discord.js';
import { discordError, DiscordErrorCode, invalidFormBody, type EmulatorResponse } from './errors.ts';
import {
  guildCreateData,
  makeBotUser,
  makeGuild,
  makeMember,
  makeUser,
  type EmulatorChannel,
  type EmulatorGuild,
  type GuildSpec,
} from './fixtures.ts';
import {
  Gateway,
  type GatewayConnectionRecord,
  type GatewayFrame,
  type GatewaySession,
  type IdentifyRecord,
  type ResumeRecord,
} from './gateway.ts';
import { readBody, Router, writeResponse, type RecordedFile, type RecordedRequest, type RequestContext } from './http.ts';
import { channelPermissions, permissionNames } from './permissions.ts';
import { CommandRegistry, type StoredCommand } from './commands.ts';
import { isEphemeral, LOADING_FLAG, MessageStore, type InteractionLink, type MessageChange, type StoredMessage } from './messages.ts';
import { Recorder } from './recorder.ts';
import { shardForGuild, SnowflakeGenerator } from './snowflake.ts';
import { autocompleteProblems, isEmptyMessage, messageProblems } from './validation.ts';

export { discordError, DiscordErrorCode, invalidFormBody, rateLimited, type EmulatorResponse } from './errors.ts';
export type { ChannelSpec, EmulatorChannel, EmulatorGuild, GuildSpec, RoleSpec } from './fixtures.ts';
export type { GatewayConnectionRecord, GatewayFrame, IdentifyRecord, ResumeRecord } from './gateway.ts';
export type { RecordedFile, RecordedRequest } from './http.ts';
export type { StoredCommand } from './commands.ts';
export { ALL_PERMISSIONS, DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.ts';
export { guildIdForShard, shardForGuild, SnowflakeGenerator, snowflakeTimestamp } from './snowflake.ts';
export { Limits } from './validation.ts';

export interface DiscordEmulatorOptions {
  /** Shard count recommended by `GET /gateway/bot` (what discord.js uses with `shards: 'auto'`). Default 1. */
  shards?: number;
  /** `session_start_limit.max_concurrency`. Default 1. */
  maxConcurrency?: number;
  /** HELLO's heartbeat interval. Default 41 250 ms, as Discord; lower it to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** How long after dispatch an interaction may be acknowledged. Default 3 000 ms. */
  interactionDeadlineMs?: number;
  /** How long an interaction token works for edits and follow-ups. Default 15 minutes. */
  interactionTokenLifetimeMs?: number;
  /** Pins per channel before 30003. Default 250. */
  maxPins?: number;
  /** Check the bot's channel permissions on channel routes (50013). Default true. */
  enforcePermissions?: boolean;
  botUsername?: string;
  /** Default: one guild with one text channel, #general. */
  guilds?: GuildSpec[];
}

/** Answer the next request(s) matching `method` and `path` with this response instead of routing them. */
export interface FailureRule extends EmulatorResponse {
  /** Any method when omitted. */
  method?: string;
  /** Tested against the decoded path after `/api/v10` (e.g. `/channels/1/messages/pins/2`); a string must match exactly. */
  path: RegExp | string;
  /** How many matching requests to fail. Default 1. */
  times?: number;
}

interface InteractionSpecBase {
  /** Default: the first guild. */
  guildId?: string;
  /** Default: the guild's first text channel. */
  channelId?: string;
  /** The invoking user. Default: `emulator.defaultUser`. */
  user?: APIUser;
  /** Roles of the invoking member (ids from the guild spec's `roles`). */
  memberRoleIds?: string[];
  /** Overrides the computed `member.permissions`. */
  memberPermissions?: bigint;
  /** Overrides the computed `app_permissions`. */
  appPermissions?: bigint;
  locale?: string;
}

export type InteractionSpec = InteractionSpecBase &
  (
    | { type: 'chatInput'; name: string; options?: APIApplicationCommandInteractionDataOption[]; resolved?: Record<string, unknown> }
    | {
        type: 'autocomplete';
        name: string;
        /** The options typed so far; exactly one should have `focused: true`. */
        options: APIApplicationCommandInteractionDataOption[];
      }
    | { type: 'messageContextMenu'; name: string; targetMessageId: string }
    | { type: 'component'; messageId: string; customId: string; componentType?: ComponentType; values?: string[] }
    | { type: 'modalSubmit'; customId: string; components: unknown[]; messageId?: string }
  );

/** An interaction the emulator dispatched, and what the bot did with it. */
export class EmulatedInteraction {
  /** How the bot acknowledged it (the callback type, on the emulator's clock), or null. */
  acknowledgement: { type: InteractionResponseType; at: number } | null = null;
  /** The message `@original` refers to once acknowledged with a message (or the component's message). */
  originalMessageId: string | null = null;
  readonly followUpMessageIds: string[] = [];
  /** The `choices` of an autocomplete result. */
  autocompleteChoices: unknown[] | null = null;
  /** The modal the bot opened, if any. */
  modal: unknown = null;
  /** Whether a follow-up has replaced a deferred reply's loading message. */
  deferredFilled = false;

  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  /** Exactly what was dispatched as INTERACTION_CREATE's `d`. */
  readonly payload: Record<string, unknown>;
  readonly guildId: string;
  readonly channelId: string;
  readonly user: APIUser;
  readonly shardId: number;
  /** On the emulator's clock (see `advanceClock`). */
  readonly dispatchedAt: number;
  /** For component interactions: the message the component is on. */
  readonly componentMessageId: string | null;
  readonly #emulator: DiscordEmulator;

  constructor(
    emulator: DiscordEmulator,
    fields: Pick<
      EmulatedInteraction,
      'id' | 'token' | 'type' | 'payload' | 'guildId' | 'channelId' | 'user' | 'shardId' | 'dispatchedAt' | 'componentMessageId'
    >,
  ) {
    this.#emulator = emulator;
    this.id = fields.id;
    this.token = fields.token;
    this.type = fields.type;
    this.payload = fields.payload;
    this.guildId = fields.guildId;
    this.channelId = fields.channelId;
    this.user = fields.user;
    this.shardId = fields.shardId;
    this.dispatchedAt = fields.dispatchedAt;
    this.componentMessageId = fields.componentMessageId;
  }

  get callbackPath(): string {
    return `/interactions/${this.id}/${this.token}/callback`;
  }

  /** The first callback request for this interaction, whatever the answer. */
  waitForCallback(timeoutMs = 5_000): Promise<RecordedRequest> {
    return this.#emulator.waitForRequest((request) => request.method === 'POST' && request.path === this.callbackPath, timeoutMs);
  }

  /** The callback request that acknowledged this interaction (2xx). */
  waitForAcknowledgement(timeoutMs = 5_000): Promise<RecordedRequest> {
    return this.#emulator.waitForRequest(
      (request) => request.method === 'POST' && request.path === this.callbackPath && request.response.status < 300,
      timeoutMs,
    );
  }

  /** The message `@original` currently refers to. */
  originalMessage(): APIMessage | undefined {
    return this.originalMessageId === null ? undefined : this.#emulator.message(this.originalMessageId);
  }
}


const API_VERSION = '10';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A small Discord: REST API and gateway on 127.0.0.1, for end-to-end tests of an unmodified
 * discord.js Client. Start it with `await DiscordEmulator.start()`, point the client at
 * `apiUrl` (`rest.api`), and `await close()` after the test.
 */
export class DiscordEmulator {
  readonly ids: SnowflakeGenerator;
  readonly botUser: APIUser;
  readonly applicationId: string;
  /** The member who invokes interactions unless a spec names another user. */
  readonly defaultUser: APIUser;
  readonly guilds: EmulatorGuild[];
  readonly interactions = new Map<string, EmulatedInteraction>();
  readonly options: Required<Omit<DiscordEmulatorOptions, 'guilds' | 'botUsername'>>;

  readonly #requests = new Recorder<RecordedRequest>(
    (request) => `#${request.index} ${request.method} ${request.path} -> ${request.response.status}${request.injected ? ' (injected)' : ''}`,
  );
  readonly #gateway: Gateway;
  readonly #router = new Router();
  readonly #failures: (FailureRule & { remaining: number })[] = [];
  readonly #users = new Map<string, APIUser>();
  readonly #messages: MessageStore;
  readonly #commands: CommandRegistry;
  readonly #server: Server;
  readonly #pendingRequests = new Set<Promise<void>>();
  #clockOffset = 0;
  #port = 0;
  #closed = false;

  private constructor(options: DiscordEmulatorOptions) {
    this.options = {
      shards: options.shards ?? 1,
      maxConcurrency: options.maxConcurrency ?? 1,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3_000,
      interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
      maxPins: options.maxPins ?? 250,
      enforcePermissions: options.enforcePermissions ?? true,
    };
    this.ids = new SnowflakeGenerator({ now: () => this.now() });
    this.applicationId = this.ids.next();
    this.botUser = makeBotUser(this.applicationId, options.botUsername ?? 'Summit Bot');
    this.defaultUser = makeUser(this.ids.next(), 'tester');
    const owner = makeUser(this.ids.next(), 'owner');
    for (const user of [this.botUser, this.defaultUser, owner]) this.#users.set(user.id, user);
    this.#commands = new CommandRegistry(this.ids, this.applicationId);
    this.#messages = new MessageStore({
      ids: this.ids,
      now: () => this.now(),
      applicationId: this.applicationId,
      users: this.#users,
      onChange: (change, message) => this.#onMessageChange(change, message),
    });
    this.guilds = (options.guilds ?? [{}]).map((spec) =>
      makeGuild(spec, { ids: this.ids, botUser: this.botUser, ownerId: owner.id, now: this.now() }),
    );

    this.#gateway = new Gateway({
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      version: API_VERSION,
      hooks: {
        afterIdentify: (session) => this.#afterIdentify(session),
        requestGuildMembers: (session, request) => this.#guildMembersChunk(session, request),
      },
    });
    this.#registerRoutes();
    this.#server = createServer((request, response) => {
      const handling = this.#handle(request, response).catch((error: unknown) => {
        console.error('[discord-emulator] route failed', error);
        if (!response.headersSent) writeResponse(response, { status: 500, body: { message: '500: Internal Server Error', code: 0 } });
      });
      this.#pendingRequests.add(handling);
      void handling.finally(() => this.#pendingRequests.delete(handling));
    });
    this.#server.on('upgrade', (request, socket, head) => {
      if (!this.#gateway.handleUpgrade(request, socket, head)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      }
    });
  }

  static async start(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    const emulator = new DiscordEmulator(options);
    await new Promise<void>((resolve, reject) => {
      emulator.#server.once('error', reject);
      emulator.#server.listen(0, '127.0.0.1', () => resolve());
    });
    emulator.#port = (emulator.#server.address() as AddressInfo).port;
    return emulator;
  }

  // ---------------------------------------------------------------- addresses and clock

  get port(): number {
    return this.#port;
  }

  /** Pass as the client's `rest.api` option; discord.js appends `/v10`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  /** What `GET /gateway/bot` returns; discord.js appends `?v=10&encoding=json`. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  /** READY's `resume_gateway_url`: a different path, so tests can tell a resume's connection apart. */
  get resumeGatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/resume-gateway`;
  }

  /** The emulator's clock (ms): wall time plus whatever `advanceClock` added. */
  now(): number {
    return Date.now() + this.#clockOffset;
  }

  /** Moves the emulator's clock forward, e.g. past an interaction's 3 s deadline, without sleeping. */
  advanceClock(ms: number): void {
    this.#clockOffset += ms;
  }

  get defaultGuild(): EmulatorGuild {
    const guild = this.guilds[0];
    if (!guild) throw new Error('The emulator has no guilds.');
    return guild;
  }

  get defaultChannel(): EmulatorChannel {
    const channel = this.defaultGuild.channels.find((candidate) => candidate.type === ChannelType.GuildText);
    if (!channel) throw new Error('The default guild has no text channel.');
    return channel;
  }

  // ---------------------------------------------------------------- records and waits

  /** Every REST request, in arrival order, with the answer given. */
  get requests(): readonly RecordedRequest[] {
    return this.#requests.items;
  }

  /** Requests no route knew (answered 404/405): a test can assert this stays empty. */
  get unhandledRequests(): RecordedRequest[] {
    return this.#requests.filter((request) => request.route === null && !request.injected);
  }

  /** Every gateway payload in both directions (`in` from the client, `out` from the emulator). */
  get frames(): readonly GatewayFrame[] {
    return this.#gateway.frames.items;
  }

  get identifies(): readonly IdentifyRecord[] {
    return this.#gateway.identifies.items;
  }

  /** The shard ids that have identified, in order (a shard that re-identifies appears again). */
  get identifiedShardIds(): number[] {
    return this.identifies.map((record) => record.shardId);
  }

  get resumes(): readonly ResumeRecord[] {
    return this.#gateway.resumes.items;
  }

  get gatewayConnections(): readonly GatewayConnectionRecord[] {
    return this.#gateway.connections;
  }

  /** Gateway connections refused for unsupported options (compression, ETF, wrong version, binary frames). */
  get protocolErrors(): readonly string[] {
    return this.#gateway.protocolErrors;
  }

  /** Whether heartbeats are acknowledged (op 11). Turn off to test zombie-connection handling. */
  set heartbeatAcks(value: boolean) {
    this.#gateway.heartbeatAcks = value;
  }

  /**
   * Resolves with the first recorded request (from index `since`) matching `predicate`, already
   * answered (its `response` is set). Looks at past requests first, so trigger-then-wait is safe.
   */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5_000, since = 0): Promise<RecordedRequest> {
    return this.#requests.waitFor(predicate, { timeoutMs, since, what: 'a matching REST request' });
  }

  waitForFrame(predicate: (frame: GatewayFrame) => boolean, timeoutMs = 5_000, since = 0): Promise<GatewayFrame> {
    return this.#gateway.frames.waitFor(predicate, { timeoutMs, since, what: 'a matching gateway frame' });
  }

  waitForIdentify(predicate: (record: IdentifyRecord) => boolean = () => true, timeoutMs = 5_000, since = 0): Promise<IdentifyRecord> {
    return this.#gateway.identifies.waitFor(predicate, { timeoutMs, since, what: 'an IDENTIFY' });
  }

  waitForResume(predicate: (record: ResumeRecord) => boolean = () => true, timeoutMs = 5_000, since = 0): Promise<ResumeRecord> {
    return this.#gateway.resumes.waitFor(predicate, { timeoutMs, since, what: 'a RESUME' });
  }

  waitForGatewayClose(
    predicate: (record: GatewayConnectionRecord) => boolean = () => true,
    timeoutMs = 5_000,
    since = 0,
  ): Promise<GatewayConnectionRecord> {
    return this.#gateway.closes.waitFor(predicate, { timeoutMs, since, what: 'a gateway connection to close' });
  }

  // ---------------------------------------------------------------- scripted failures

  /**
   * Answers the next `times` (default 1) requests matching `rule` with `rule`'s status, body and
   * headers instead of routing them. E.g. `failNext({ method: 'PUT', path: /\/pins\//, ...discordError(30003) })`
   * or `failNext({ path: /\/callback$/, ...rateLimited(0.1) })`.
   */
  failNext(rule: FailureRule): void {
    this.#failures.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /** Failure rules not yet used up. */
  get pendingFailures(): number {
    return this.#failures.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  #takeFailure(method: string, path: string): EmulatorResponse | null {
    const index = this.#failures.findIndex(
      (rule) =>
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        (typeof rule.path === 'string' ? rule.path === path : rule.path.test(path)),
    );
    const rule = this.#failures[index];
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#failures.splice(index, 1);
    return { status: rule.status, body: rule.body, ...(rule.headers ? { headers: rule.headers } : {}) };
  }

  // ---------------------------------------------------------------- state

  message(id: string): APIMessage | undefined {
    return this.#messages.get(id);
  }

  /** The channel's live messages, oldest first (ephemeral ones excluded, as in the channel). */
  channelMessages(channelId: string): APIMessage[] {
    return this.#messages.channelMessages(channelId);
  }

  /** Pinned messages of a channel, most recently pinned first (Discord's order). */
  pinnedMessages(channelId: string): APIMessage[] {
    return this.#messages.pinned(channelId).map((pin) => pin.message);
  }

  guild(id: string): EmulatorGuild {
    const guild = this.guilds.find((candidate) => candidate.id === id);
    if (!guild) throw new Error(`Unknown guild ${id}.`);
    return guild;
  }

  channel(id: string): EmulatorChannel {
    const channel = this.#findChannel(id);
    if (!channel) throw new Error(`Unknown channel ${id}.`);
    return channel;
  }

  #findChannel(id: string): EmulatorChannel | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((candidate) => candidate.id === id);
      if (channel) return channel;
    }
    return undefined;
  }

  /** Registers a user (e.g. the author of messages `createMessage` seeds). */
  addUser(username: string): APIUser {
    const user = makeUser(this.ids.next(), username);
    this.#users.set(user.id, user);
    return user;
  }

  /**
   * Puts a message in a channel as if someone had posted it (default author: `defaultUser`), e.g.
   * the target of a message context-menu command. Nothing is sent to the bot.
   */
  createMessage(channelId: string, input: { content: string; author?: APIUser; embeds?: APIEmbed[] }): APIMessage {
    this.channel(channelId);
    return this.#messages.create({
      channelId,
      author: input.author ?? this.defaultUser,
      body: { content: input.content, embeds: input.embeds ?? [] },
      files: [],
      type: MessageType.Default,
    });
  }

  /** The bot's permissions in a channel, as Discord computes them. */
  botPermissions(channelId: string): bigint {
    const channel = this.channel(channelId);
    const guild = this.guild(channel.guild_id);
    return this.#memberPermissions(guild, channel, this.botUser.id, guild.botMember.roles);
  }

  #memberPermissions(guild: EmulatorGuild, channel: EmulatorChannel, userId: string, roleIds: readonly string[]): bigint {
    return channelPermissions({
      guildId: guild.id,
      ownerId: guild.ownerId,
      roles: guild.roles,
      overwrites: channel.permission_overwrites,
      userId,
      memberRoleIds: roleIds,
    });
  }

  /** Changes a channel (e.g. its permission overwrites) and tells the bot with CHANNEL_UPDATE. */
  updateChannel(channelId: string, patch: { name?: string; topic?: string | null; permissionOverwrites?: APIOverwrite[] }): EmulatorChannel {
    const channel = this.channel(channelId);
    if (patch.name !== undefined) channel.name = patch.name;
    if (patch.topic !== undefined) channel.topic = patch.topic;
    if (patch.permissionOverwrites !== undefined) channel.permission_overwrites = patch.permissionOverwrites;
    this.#dispatchToGuild(channel.guild_id, GatewayDispatchEvents.ChannelUpdate, { ...channel });
    return channel;
  }

  /** Changes a role's permissions and tells the bot with GUILD_ROLE_UPDATE. */
  updateRolePermissions(guildId: string, roleId: string, permissions: bigint): APIRole {
    const guild = this.guild(guildId);
    const role = guild.roles.find((candidate) => candidate.id === roleId);
    if (!role) throw new Error(`Unknown role ${roleId} in guild ${guildId}.`);
    role.permissions = permissions.toString();
    this.#dispatchToGuild(guildId, GatewayDispatchEvents.GuildRoleUpdate, { guild_id: guildId, role });
    return role;
  }

  /** Global application commands, as last registered. */
  get globalCommands(): readonly StoredCommand[] {
    return this.#commands.global;
  }

  /** Guild application commands by guild id, as last registered. */
  get guildCommands(): ReadonlyMap<string, readonly StoredCommand[]> {
    return this.#commands.byGuild;
  }

  // ---------------------------------------------------------------- gateway control

  /** The current session of a shard (throws if that shard never identified). */
  #session(shardId: number): GatewaySession {
    const session = this.#gateway.sessionByShard.get(shardId);
    if (!session) {
      throw new Error(
        `No gateway session for shard ${shardId} (identified shards: [${this.identifiedShardIds.join(', ')}]). Did the client log in?`,
      );
    }
    return session;
  }

  #shardOfGuild(guildId: string): number {
    const shardCount = this.#gateway.sessionByShard.values().next().value?.shardCount ?? this.options.shards;
    return shardForGuild(guildId, shardCount);
  }

  /** Sends any dispatch (op 0) on a shard's session; returns its sequence number. */
  dispatch(event: string, data: unknown, shardId = 0): number {
    return this.#gateway.dispatch(this.#session(shardId), event, data);
  }

  #dispatchToGuild(guildId: string, event: string, data: unknown, intent: number = GatewayIntentBits.Guilds): void {
    const session = this.#gateway.sessionByShard.get(this.#shardOfGuild(guildId));
    if (session?.hasIntent(intent)) this.#gateway.dispatch(session, event, data);
  }

  /**
   * Closes the gateway connection(s) of one shard (or all) with `code`, as Discord does on its
   * side; resolves once closed. 4000 (unknown error) makes discord.js resume; with
   * `invalidateSession` the resume is refused (op 9) and the client identifies again.
   */
  async closeGateway(code = 4000, options: { shardId?: number; reason?: string; invalidateSession?: boolean } = {}): Promise<number> {
    if (options.invalidateSession) {
      for (const session of this.#gateway.sessions.values()) {
        if (options.shardId === undefined || session.shardId === options.shardId) session.invalidated = true;
      }
    }
    return this.#gateway.closeConnections(code, options.reason ?? 'closed by the Discord emulator', options.shardId);
  }

  /** Op 7 RECONNECT: the client should reconnect and resume. */
  requestReconnect(shardId = 0): void {
    this.#gateway.sendRaw(this.#session(shardId), { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Op 9 INVALID_SESSION; `resumable` false also makes the session unresumable. */
  invalidateSession(shardId = 0, resumable = false): void {
    const session = this.#session(shardId);
    if (!resumable) session.invalidated = true;
    this.#gateway.sendRaw(session, { op: GatewayOpcodes.InvalidSession, d: resumable });
  }

  #afterIdentify(session: GatewaySession): { t: string; d: unknown }[] {
    const guilds = this.guilds.filter((guild) => shardForGuild(guild.id, session.shardCount) === session.shardId);
    const ready = {
      t: GatewayDispatchEvents.Ready,
      d: {
        v: Number(API_VERSION),
        user: this.botUser,
        guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.resumeGatewayUrl,
        shard: [session.shardId, session.shardCount],
        application: { id: this.applicationId, flags: 0 },
        user_settings: {},
        private_channels: [],
        relationships: [],
        presences: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        _trace: ['discord-emulator'],
      },
    };
    // Discord sends GUILD_CREATE only with the GUILDS intent; without it discord.js gives up waiting.
    const creates = session.hasIntent(GatewayIntentBits.Guilds)
      ? guilds.map((guild) => ({ t: GatewayDispatchEvents.GuildCreate, d: guildCreateData(guild) }))
      : [];
    return [ready, ...creates];
  }

  #guildMembersChunk(_session: GatewaySession, request: Record<string, unknown>): unknown {
    const guild = this.guilds.find((candidate) => candidate.id === request['guild_id']);
    if (!guild) return null;
    const wanted = Array.isArray(request['user_ids']) ? (request['user_ids'] as unknown[]).map(String) : null;
    const members = [guild.botMember, makeMember(this.defaultUser, [], guild.joinedAt)].filter(
      (member) => wanted === null || (member.user !== undefined && wanted.includes(member.user.id)),
    );
    return { guild_id: guild.id, members, chunk_index: 0, chunk_count: 1, nonce: request['nonce'] };
  }

  // ---------------------------------------------------------------- interactions

  /**
   * Dispatches INTERACTION_CREATE, built as Discord builds it, to the shard that owns the guild.
   * The interaction's 3 s deadline starts now (on the emulator's clock).
   */
  dispatchInteraction(spec: InteractionSpec): EmulatedInteraction {
    const guild = spec.guildId === undefined ? this.defaultGuild : this.guild(spec.guildId);
    const channel =
      spec.channelId === undefined
        ? guild.channels.find((candidate) => candidate.type === ChannelType.GuildText)
        : guild.channels.find((candidate) => candidate.id === spec.channelId);
    if (!channel) throw new Error(`No such text channel in guild ${guild.id}: ${spec.channelId ?? '(first text channel)'}.`);
    const user = spec.user ?? this.defaultUser;
    this.#users.set(user.id, user);
    const roleIds = spec.memberRoleIds ?? [];
    const memberPermissions = spec.memberPermissions ?? this.#memberPermissions(guild, channel, user.id, roleIds);
    const appPermissions = spec.appPermissions ?? this.#memberPermissions(guild, channel, this.botUser.id, guild.botMember.roles);
    const shardId = this.#shardOfGuild(guild.id);
    const session = this.#session(shardId);

    const id = this.ids.next();
    const token = `emulated-interaction-token.${randomBytes(24).toString('base64url')}`;
    let type: InteractionType;
    let data: Record<string, unknown>;
    let message: APIMessage | undefined;
    switch (spec.type) {
      case 'chatInput':
        type = InteractionType.ApplicationCommand;
        data = {
          id: this.#commands.idFor(guild.id, spec.name, ApplicationCommandType.ChatInput),
          name: spec.name,
          type: ApplicationCommandType.ChatInput,
          guild_id: this.#commands.find(guild.id, spec.name, ApplicationCommandType.ChatInput)?.guildCommand ? guild.id : undefined,
          options: spec.options ?? [],
          ...(spec.resolved ? { resolved: spec.resolved } : {}),
        };
        break;
      case 'autocomplete':
        type = InteractionType.ApplicationCommandAutocomplete;
        data = {
          id: this.#commands.idFor(guild.id, spec.name, ApplicationCommandType.ChatInput),
          name: spec.name,
          type: ApplicationCommandType.ChatInput,
          options: spec.options,
        };
        break;
      case 'messageContextMenu': {
        type = InteractionType.ApplicationCommand;
        const target = this.message(spec.targetMessageId);
        if (!target) throw new Error(`Unknown target message ${spec.targetMessageId}.`);
        data = {
          id: this.#commands.idFor(guild.id, spec.name, ApplicationCommandType.Message),
          name: spec.name,
          type: ApplicationCommandType.Message,
          target_id: target.id,
          resolved: { messages: { [target.id]: target } },
        };
        break;
      }
      case 'component':
        type = InteractionType.MessageComponent;
        message = this.message(spec.messageId);
        if (!message) throw new Error(`Unknown component message ${spec.messageId}.`);
        data = {
          custom_id: spec.customId,
          component_type: spec.componentType ?? ComponentType.Button,
          ...(spec.values ? { values: spec.values } : {}),
        };
        break;
      case 'modalSubmit':
        type = InteractionType.ModalSubmit;
        message = spec.messageId === undefined ? undefined : this.message(spec.messageId);
        data = { custom_id: spec.customId, components: spec.components };
        break;
    }

    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      data,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      guild_id: guild.id,
      channel: { ...channel },
      channel_id: channel.id,
      member: {
        ...makeMember(user, roleIds, guild.joinedAt),
        permissions: memberPermissions.toString(),
      },
      token,
      version: 1,
      app_permissions: appPermissions.toString(),
      locale: spec.locale ?? 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(message ? { message } : {}),
    };
    const interaction = new EmulatedInteraction(this, {
      id,
      token,
      type,
      payload,
      guildId: guild.id,
      channelId: channel.id,
      user,
      shardId,
      dispatchedAt: this.now(),
      componentMessageId: message?.id ?? null,
    });
    this.interactions.set(id, interaction);
    this.#gateway.dispatch(session, GatewayDispatchEvents.InteractionCreate, payload);
    return interaction;
  }

  // ---------------------------------------------------------------- HTTP

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const rawSegments = url.pathname.split('/').filter(Boolean);
    if (rawSegments[0] === 'api') rawSegments.shift();
    const versionSegment = rawSegments.shift() ?? '';
    const segments = rawSegments.map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
    const path = `/${segments.join('/')}`;
    const { body, fields, files, error: bodyError } = await readBody(request);
    const context: RequestContext = {
      method,
      path,
      rawPath: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
      fields,
      files,
      params: {},
    };

    let answer: EmulatorResponse;
    let route: string | null = null;
    const injected = this.#takeFailure(method, path);
    if (injected) {
      answer = injected;
    } else if (versionSegment !== `v${API_VERSION}`) {
      answer = { status: 404, body: { message: `The emulator serves API v${API_VERSION} only (got "${versionSegment}").`, code: 0 } };
    } else if (bodyError) {
      answer = bodyError;
    } else {
      const match = this.#router.match(method, segments);
      if (match === null) {
        answer = { status: 404, body: { message: '404: Not Found', code: 0 } };
      } else if (match === 'method-not-allowed') {
        answer = { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
      } else {
        route = `${method} ${match.route.pattern}`;
        context.params = match.params;
        answer = await match.route.handler(context);
      }
    }
    const headers = writeResponse(response, answer);
    this.#requests.push({
      ...context,
      index: this.#requests.items.length,
      route,
      receivedAt,
      injected: injected !== null,
      response: { status: answer.status, body: answer.body, headers },
    });
  }

  #registerRoutes(): void {
    const r = this.#router;
    const authed =
      (handler: (request: RequestContext) => EmulatorResponse | Promise<EmulatorResponse>) =>
      (request: RequestContext): EmulatorResponse | Promise<EmulatorResponse> => {
        const authorization = request.headers.authorization;
        if (typeof authorization !== 'string' || !/^Bot \S+/.test(authorization)) {
          return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
        }
        return handler(request);
      };

    r.add('GET', '/gateway', () => ok({ url: this.gatewayUrl }));
    r.add(
      'GET',
      '/gateway/bot',
      authed(() =>
        ok({
          url: this.gatewayUrl,
          shards: this.options.shards,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.options.maxConcurrency },
        }),
      ),
    );
    r.add('GET', '/users/@me', authed(() => ok(this.botUser)));
    r.add('GET', '/applications/@me', authed(() => ok(this.#application())));
    r.add('GET', '/oauth2/applications/@me', authed(() => ok(this.#application())));

    // Application commands, global and per guild.
    for (const scope of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
      const commands = this.#commands;
      const command = (request: RequestContext) => request.params['command'] ?? '';
      r.add('GET', scope, authed((request) => this.#withCommands(request, (guildId) => ok(commands.list(guildId)))));
      r.add('PUT', scope, authed((request) => this.#withCommands(request, (guildId) => commands.overwrite(guildId, request.body))));
      r.add('POST', scope, authed((request) => this.#withCommands(request, (guildId) => commands.upsert(guildId, request.body))));
      r.add('GET', `${scope}/:command`, authed((request) => this.#withCommands(request, (guildId) => commands.get(guildId, command(request)))));
      r.add(
        'PATCH',
        `${scope}/:command`,
        authed((request) => this.#withCommands(request, (guildId) => commands.edit(guildId, command(request), request.body))),
      );
      r.add(
        'DELETE',
        `${scope}/:command`,
        authed((request) => this.#withCommands(request, (guildId) => commands.remove(guildId, command(request)))),
      );
    }

    // Interactions.
    r.add('POST', '/interactions/:interaction/:token/callback', (request) => this.#interactionCallback(request));
    r.add('POST', '/webhooks/:app/:token', (request) => this.#followUp(request));
    r.add('GET', '/webhooks/:app/:token/messages/:message', (request) =>
      this.#withWebhookMessage(request, (stored) => ok(stored.message)),
    );
    r.add('PATCH', '/webhooks/:app/:token/messages/:message', (request) =>
      this.#withWebhookMessage(request, (stored) => this.#editMessage(stored, request)),
    );
    r.add('DELETE', '/webhooks/:app/:token/messages/:message', (request) =>
      this.#withWebhookMessage(request, (stored) => {
        this.#messages.delete(stored);
        return noContent();
      }),
    );

    // Channels and messages. `messages/pins` must come before `messages/:message`.
    r.add('GET', '/channels/:channel', authed((request) => this.#withChannel(request, [], (channel) => ok(channel))));
    r.add(
      'GET',
      '/channels/:channel/messages/pins',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory], (channel) =>
          this.#listPins(channel, request.query),
        ),
      ),
    );
    r.add(
      'PUT',
      '/channels/:channel/messages/pins/:message',
      authed((request) => this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.PinMessages], (channel) => this.#pin(channel, request))),
    );
    r.add(
      'DELETE',
      '/channels/:channel/messages/pins/:message',
      authed((request) => this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.PinMessages], (channel) => this.#unpin(channel, request))),
    );
    // The deprecated pin routes; discord.js 14.28 only uses `GET /channels/:id/pins` (fetchPinned).
    r.add(
      'GET',
      '/channels/:channel/pins',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory], (channel) =>
          ok(this.pinnedMessages(channel.id)),
        ),
      ),
    );
    r.add(
      'PUT',
      '/channels/:channel/pins/:message',
      authed((request) => this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.PinMessages], (channel) => this.#pin(channel, request))),
    );
    r.add(
      'DELETE',
      '/channels/:channel/pins/:message',
      authed((request) => this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.PinMessages], (channel) => this.#unpin(channel, request))),
    );
    r.add(
      'GET',
      '/channels/:channel/messages',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory], (channel) => {
          const limit = Math.min(Number(request.query['limit'] ?? 50) || 50, 100);
          return ok(this.channelMessages(channel.id).reverse().slice(0, limit));
        }),
      ),
    );
    r.add(
      'POST',
      '/channels/:channel/messages',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages], (channel) => {
          const body = isRecord(request.body) ? request.body : {};
          if (request.files.length > 0) {
            const missing = this.#missingPermissions(channel, [PermissionFlagsBits.AttachFiles]);
            if (missing) return missing;
          }
          const invalid = this.#invalidMessage(body, request.files.length, []);
          if (invalid) return invalid;
          return ok(
            this.#messages.create({ channelId: channel.id, author: this.botUser, body, files: request.files, type: MessageType.Default }),
          );
        }),
      ),
    );
    r.add(
      'GET',
      '/channels/:channel/messages/:message',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory], (channel) => {
          const stored = this.#messages.inChannel(channel.id, request.params['message'] ?? '');
          return stored ? ok(stored.message) : discordError(DiscordErrorCode.UnknownMessage);
        }),
      ),
    );
    r.add(
      'PATCH',
      '/channels/:channel/messages/:message',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel], (channel) => {
          const stored = this.#messages.inChannel(channel.id, request.params['message'] ?? '');
          if (!stored) return discordError(DiscordErrorCode.UnknownMessage);
          if (stored.message.author.id !== this.botUser.id) return discordError(DiscordErrorCode.CannotEditOtherUsersMessage);
          return this.#editMessage(stored, request);
        }),
      ),
    );
    r.add(
      'DELETE',
      '/channels/:channel/messages/:message',
      authed((request) =>
        this.#withChannel(request, [PermissionFlagsBits.ViewChannel], (channel) => {
          const stored = this.#messages.inChannel(channel.id, request.params['message'] ?? '');
          if (!stored) return discordError(DiscordErrorCode.UnknownMessage);
          if (stored.message.author.id !== this.botUser.id) {
            const missing = this.#missingPermissions(channel, [PermissionFlagsBits.ManageMessages]);
            if (missing) return missing;
          }
          this.#messages.delete(stored);
          return noContent();
        }),
      ),
    );

    // Guilds.
    r.add('GET', '/guilds/:guild', authed((request) => this.#withGuild(request, (guild) => ok(guildCreateData(guild)))));
    r.add('GET', '/guilds/:guild/channels', authed((request) => this.#withGuild(request, (guild) => ok(guild.channels))));
    r.add('GET', '/guilds/:guild/roles', authed((request) => this.#withGuild(request, (guild) => ok(guild.roles))));
    r.add(
      'GET',
      '/guilds/:guild/members/:user',
      authed((request) =>
        this.#withGuild(request, (guild) => {
          const userId = request.params['user'];
          if (userId === this.botUser.id) return ok(guild.botMember);
          const user = userId === undefined ? undefined : this.#users.get(userId);
          return user ? ok(makeMember(user, [], guild.joinedAt)) : discordError(DiscordErrorCode.UnknownMember);
        }),
      ),
    );
  }

  #application(): Record<string, unknown> {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      owner: this.#users.values().next().value,
      bot: this.botUser,
      approximate_guild_count: this.guilds.length,
      integration_types_config: { '0': {} },
      interactions_endpoint_url: null,
      redirect_uris: [],
    };
  }

  // ---------------------------------------------------------------- route helpers

  #withGuild(request: RequestContext, handle: (guild: EmulatorGuild) => EmulatorResponse): EmulatorResponse {
    const guild = this.guilds.find((candidate) => candidate.id === request.params['guild']);
    return guild ? handle(guild) : discordError(DiscordErrorCode.UnknownGuild);
  }

  #withChannel(
    request: RequestContext,
    needs: bigint[],
    handle: (channel: EmulatorChannel) => EmulatorResponse,
  ): EmulatorResponse {
    const channel = this.#findChannel(request.params['channel'] ?? '');
    if (!channel) return discordError(DiscordErrorCode.UnknownChannel);
    return this.#missingPermissions(channel, needs) ?? handle(channel);
  }

  #missingPermissions(channel: EmulatorChannel, needs: bigint[]): EmulatorResponse | null {
    if (!this.options.enforcePermissions) return null;
    const have = this.botPermissions(channel.id);
    if ((have & PermissionFlagsBits.ViewChannel) === 0n) return discordError(DiscordErrorCode.MissingAccess);
    const missing = needs.reduce((sum, bit) => sum | bit, 0n) & ~have;
    if (missing === 0n) return null;
    // The body is exactly Discord's; the emulator names the missing bits in a header for debugging.
    return { ...discordError(DiscordErrorCode.MissingPermissions), headers: { 'x-emulator-missing-permissions': permissionNames(missing).join(',') } };
  }


  #withCommands(request: RequestContext, handle: (guildId: string | null) => EmulatorResponse): EmulatorResponse {
    if (request.params['app'] !== this.applicationId) return discordError(DiscordErrorCode.MissingAccess);
    const guildId = request.params['guild'] ?? null;
    if (guildId !== null && !this.guilds.some((guild) => guild.id === guildId)) return discordError(DiscordErrorCode.MissingAccess);
    return handle(guildId);
  }

  // ---------------------------------------------------------------- interaction routes

  #interactionCallback(request: RequestContext): EmulatorResponse {
    const interaction = this.interactions.get(request.params['interaction'] ?? '');
    if (!interaction || interaction.token !== request.params['token']) return discordError(DiscordErrorCode.UnknownInteraction);
    if (this.now() - interaction.dispatchedAt > this.options.interactionDeadlineMs) {
      return discordError(DiscordErrorCode.UnknownInteraction);
    }
    if (interaction.acknowledgement) return discordError(DiscordErrorCode.InteractionAlreadyAcknowledged);
    const body = isRecord(request.body) ? request.body : {};
    const callbackType = body['type'];
    const data = isRecord(body['data']) ? body['data'] : {};
    const allowed = allowedCallbackTypes(interaction.type);
    if (typeof callbackType !== 'number' || !allowed.includes(callbackType)) {
      return invalidFormBody([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid for this interaction' }]);
    }

    let message: APIMessage | undefined;
    switch (callbackType) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const invalid = this.#invalidMessage(data, request.files.length, ['data']);
        if (invalid) return invalid;
        message = this.#replyMessage(interaction, data, request.files, replyMessageType(interaction));
        interaction.originalMessageId = message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = (typeof data['flags'] === 'number' ? data['flags'] : 0) & MessageFlags.Ephemeral;
        message = this.#replyMessage(interaction, { content: '', flags: flags | LOADING_FLAG }, [], replyMessageType(interaction));
        interaction.originalMessageId = message.id;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        interaction.originalMessageId = interaction.componentMessageId;
        message = interaction.originalMessage();
        break;
      case InteractionResponseType.UpdateMessage: {
        const stored = interaction.componentMessageId === null ? undefined : this.#messages.entry(interaction.componentMessageId);
        if (!stored || stored.deleted) return discordError(DiscordErrorCode.UnknownMessage);
        const problems = messageProblems(data, ['data']);
        if (problems.length > 0) return invalidFormBody(problems);
        this.#messages.edit(stored, data, request.files);
        interaction.originalMessageId = stored.message.id;
        message = stored.message;
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const problems = autocompleteProblems(data);
        if (problems.length > 0) return invalidFormBody(problems);
        interaction.autocompleteChoices = Array.isArray(data['choices']) ? data['choices'] : [];
        break;
      }
      case InteractionResponseType.Modal:
        interaction.modal = data;
        break;
    }
    interaction.acknowledgement = { type: callbackType, at: this.now() };

    if (request.query['with_response'] !== 'true') return noContent();
    return ok({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: ((message.flags ?? 0) & LOADING_FLAG) !== 0,
              response_message_ephemeral: isEphemeral(message),
            }
          : {}),
      },
      resource: { type: callbackType, ...(message ? { message } : {}) },
    });
  }

  /** The interaction behind a webhook token, or the error Discord gives for it. */
  #interactionForWebhook(request: RequestContext): EmulatedInteraction | EmulatorResponse {
    const token = request.params['token'];
    const interaction = [...this.interactions.values()].find((candidate) => candidate.token === token);
    if (!interaction || request.params['app'] !== this.applicationId) return discordError(DiscordErrorCode.UnknownWebhook);
    if (this.now() - interaction.dispatchedAt > this.options.interactionTokenLifetimeMs) {
      return discordError(DiscordErrorCode.InvalidWebhookToken);
    }
    // Editing or following up before the interaction is acknowledged: Discord knows no webhook yet.
    if (!interaction.acknowledgement) return discordError(DiscordErrorCode.UnknownWebhook);
    return interaction;
  }

  #withWebhookMessage(
    request: RequestContext,
    handle: (stored: StoredMessage, interaction: EmulatedInteraction) => EmulatorResponse,
  ): EmulatorResponse {
    const interaction = this.#interactionForWebhook(request);
    if (!(interaction instanceof EmulatedInteraction)) return interaction;
    const messageId = request.params['message'] === '@original' ? interaction.originalMessageId : (request.params['message'] ?? null);
    const belongs =
      messageId !== null && (messageId === interaction.originalMessageId || interaction.followUpMessageIds.includes(messageId));
    const stored = belongs ? this.#messages.entry(messageId) : undefined;
    if (!stored || stored.deleted) return discordError(DiscordErrorCode.UnknownMessage);
    return handle(stored, interaction);
  }

  #followUp(request: RequestContext): EmulatorResponse {
    const interaction = this.#interactionForWebhook(request);
    if (!(interaction instanceof EmulatedInteraction)) return interaction;
    const body = isRecord(request.body) ? request.body : {};
    const invalid = this.#invalidMessage(body, request.files.length, []);
    if (invalid) return invalid;
    // The first follow-up after a deferred reply replaces its loading message (keeping the
    // deferral's ephemerality); later ones are new messages.
    const original = interaction.originalMessageId === null ? undefined : this.#messages.entry(interaction.originalMessageId);
    if (
      interaction.acknowledgement?.type === InteractionResponseType.DeferredChannelMessageWithSource &&
      !interaction.deferredFilled &&
      original &&
      !original.deleted &&
      ((original.message.flags ?? 0) & LOADING_FLAG) !== 0
    ) {
      interaction.deferredFilled = true;
      const flags = (original.message.flags ?? 0) & MessageFlags.Ephemeral;
      this.#messages.edit(original, { ...body, flags }, request.files, { markEdited: false });
      return ok(original.message);
    }
    const message = this.#replyMessage(interaction, body, request.files, MessageType.Default);
    interaction.followUpMessageIds.push(message.id);
    return ok(message);
  }

  #invalidMessage(body: Record<string, unknown>, fileCount: number, prefix: (string | number)[]): EmulatorResponse | null {
    const problems = messageProblems(body, prefix);
    if (problems.length > 0) return invalidFormBody(problems);
    if (isEmptyMessage(body, fileCount)) return discordError(DiscordErrorCode.CannotSendEmptyMessage);
    return null;
  }

  // ---------------------------------------------------------------- messages and pins

  #interactionLink(interaction: EmulatedInteraction): InteractionLink {
    const data = isRecord(interaction.payload['data']) ? interaction.payload['data'] : {};
    return {
      id: interaction.id,
      type: interaction.type,
      name: typeof data['name'] === 'string' ? data['name'] : '',
      user: interaction.user,
      guildId: interaction.guildId,
      originalMessageId: interaction.originalMessageId,
      componentMessageId: interaction.componentMessageId,
      targetMessageId: typeof data['target_id'] === 'string' ? data['target_id'] : null,
    };
  }

  #replyMessage(interaction: EmulatedInteraction, body: Record<string, unknown>, files: RecordedFile[], type: MessageType): APIMessage {
    return this.#messages.create({
      channelId: interaction.channelId,
      author: this.botUser,
      body,
      files,
      type,
      interaction: this.#interactionLink(interaction),
    });
  }

  #onMessageChange(change: MessageChange, message: APIMessage): void {
    const channel = this.#findChannel(message.channel_id);
    // Ephemeral messages exist only for their recipient: no gateway events.
    if (!channel || isEphemeral(message)) return;
    if (change === 'create') channel.last_message_id = message.id;
    const event = {
      create: GatewayDispatchEvents.MessageCreate,
      update: GatewayDispatchEvents.MessageUpdate,
      delete: GatewayDispatchEvents.MessageDelete,
    }[change];
    const data = change === 'delete' ? { id: message.id, channel_id: channel.id } : message;
    this.#dispatchToGuild(channel.guild_id, event, { ...data, guild_id: channel.guild_id }, GatewayIntentBits.GuildMessages);
  }

  #editMessage(stored: StoredMessage, request: RequestContext): EmulatorResponse {
    const body = isRecord(request.body) ? request.body : {};
    const problems = messageProblems(body);
    if (problems.length > 0) return invalidFormBody(problems);
    this.#messages.edit(stored, body, request.files);
    return ok(stored.message);
  }

  #listPins(channel: EmulatorChannel, query: Record<string, string>): EmulatorResponse {
    const limit = Math.max(1, Math.min(Number(query['limit'] ?? 50) || 50, 50));
    const before = query['before'] ? Date.parse(query['before']) : Number.POSITIVE_INFINITY;
    const pins = this.#messages
      .pinned(channel.id)
      .filter((pin) => Date.parse(pin.pinnedAt) < before)
      .map((pin) => ({ pinned_at: pin.pinnedAt, message: pin.message }));
    return ok({ items: pins.slice(0, limit), has_more: pins.length > limit });
  }

  #pin(channel: EmulatorChannel, request: RequestContext): EmulatorResponse {
    const stored = this.#messages.inChannel(channel.id, request.params['message'] ?? '');
    if (!stored) return discordError(DiscordErrorCode.UnknownMessage);
    const result = this.#messages.pin(stored, this.options.maxPins);
    if (result === 'full') {
      return discordError(DiscordErrorCode.MaximumPins, { message: `Maximum number of pins reached (${this.options.maxPins})` });
    }
    if (result !== 'already') this.#pinsChanged(channel, result.pinnedAt);
    return noContent();
  }

  #unpin(channel: EmulatorChannel, request: RequestContext): EmulatorResponse {
    const stored = this.#messages.inChannel(channel.id, request.params['message'] ?? '');
    if (!stored) return discordError(DiscordErrorCode.UnknownMessage);
    const result = this.#messages.unpin(stored);
    if (result !== 'not-pinned') this.#pinsChanged(channel, result.lastPinTimestamp);
    return noContent();
  }

  #pinsChanged(channel: EmulatorChannel, lastPinTimestamp: string | null): void {
    channel.last_pin_timestamp = lastPinTimestamp;
    this.#dispatchToGuild(channel.guild_id, GatewayDispatchEvents.ChannelPinsUpdate, {
      guild_id: channel.guild_id,
      channel_id: channel.id,
      last_pin_timestamp: lastPinTimestamp,
    });
  }

  // ---------------------------------------------------------------- shutdown

  /** Stops the HTTP server and the gateway, dropping every socket, and rejects pending waits. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#gateway.terminate();
    this.#requests.close(new Error('The Discord emulator was closed.'));
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await Promise.allSettled([...this.#pendingRequests]);
    await closed;
  }
}

/** Starts an emulator (same as `DiscordEmulator.start`). */
export function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  return DiscordEmulator.start(options);
}

function ok(body: unknown): EmulatorResponse {
  return { status: 200, body };
}

function noContent(): EmulatorResponse {
  return { status: 204 };
}

/** Replies to commands are typed as such; replies to components and modals are default messages. */
function replyMessageType(interaction: EmulatedInteraction): MessageType {
  if (interaction.type !== InteractionType.ApplicationCommand) return MessageType.Default;
  const data = interaction.payload['data'];
  return isRecord(data) && data['type'] === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand;
}

function allowedCallbackTypes(type: InteractionType): number[] {
  switch (type) {
    case InteractionType.ApplicationCommand:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.Modal,
      ];
    case InteractionType.MessageComponent:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.DeferredMessageUpdate,
        InteractionResponseType.UpdateMessage,
        InteractionResponseType.Modal,
      ];
    case InteractionType.ApplicationCommandAutocomplete:
      return [InteractionResponseType.ApplicationCommandAutocompleteResult];
    case InteractionType.ModalSubmit:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.DeferredMessageUpdate,
        InteractionResponseType.UpdateMessage,
      ];
    default:
      return [];
  }
}
