import { Writable } from 'node:stream';
import pino from 'pino';
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIMessage,
  type APIUser,
} from 'discord.js';
import { parseConfig } from '../../src/config.ts';
import type { KnowledgeBase } from '../../src/knowledgeBase.ts';
import { startGatewayBot, type GatewayBot } from '../../src/runtime/gatewayBot.ts';
import { noIdentifyThrottle } from '../discord-emulator/client.ts';
import { DiscordEmulator, type EmulatedInteraction, type InteractionSpec, type RecordedRequest } from '../discord-emulator/emulator.ts';
import { Recorder } from '../discord-emulator/recorder.ts';

/** A JSON log line of the bot, parsed. */
export interface LogRecord {
  level: number;
  msg?: string;
  interaction?: string;
  err?: { type?: string; message?: string; code?: number; status?: number };
  [key: string]: unknown;
}

export const LogLevel = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A pino logger whose lines land in a recorder the test can wait on. */
function capturedLogger(): { logger: pino.Logger; logs: Recorder<LogRecord> } {
  const logs = new Recorder<LogRecord>((record) => `${record.level} ${record.msg ?? ''}`);
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), logs };
}

/** The bot's answer to one interaction, as it went over the wire. */
export interface Answer {
  /** The callback type that acknowledged it (4 message, 5 deferred, 7 update, 8 choices). */
  readonly type: InteractionResponseType;
  /** The message body that answered: the callback's `data`, or after a defer the edit of `@original`. */
  readonly payload: MessageBody;
  /** The request that carried `payload` (multipart files are on it). */
  readonly request: RecordedRequest;
  /** The message `@original` is now, as the emulator keeps it. */
  readonly message: APIMessage | undefined;
}

/** A message body as the bot sends it (snake_case API JSON). */
export interface MessageBody {
  content?: string;
  embeds?: { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[]; timestamp?: string }[];
  components?: { components: { custom_id?: string; label?: string; disabled?: boolean }[] }[];
  allowed_mentions?: { parse?: string[]; users?: string[] };
  flags?: number;
  attachments?: { id: string | number; description?: string }[];
}

/** The role a moderator has in the test server: it may pin. */
export const MODERATOR_ROLE = 'Moderator';

export interface E2E {
  readonly emulator: DiscordEmulator;
  /** Role ids to invoke as a moderator (`{ memberRoleIds: e2e.moderator }`). */
  readonly moderator: string[];
  readonly bot: GatewayBot;
  readonly logs: Recorder<LogRecord>;
  /** Dispatches an interaction to the bot (the default member invokes it in #general). */
  dispatch(spec: InteractionSpec): EmulatedInteraction;
  /** Runs a slash command; `options` by name (strings, booleans, or a user for a user option). */
  command(name: string, options?: Record<string, string | boolean | APIUser>, spec?: Partial<InteractionSpec>): EmulatedInteraction;
  /** Waits for the bot's complete answer: the acknowledgement, and after a defer the edited reply. */
  answer(interaction: EmulatedInteraction): Promise<Answer>;
  /** Moves the bot's clock (button expiry, cooldowns, summary timestamps) by `ms`. */
  advanceBotClock(ms: number): void;
  stop(): Promise<void>;
}

/** A token that passes the config's check; the emulator accepts any token. */
export const E2E_TOKEN = 'e2e-summit-bot.emulated-token';

/**
 * Starts the emulator and the real bot (startGatewayBot over a real discord.js Client) against
 * it, and resolves once the bot is ready. Stop destroys the client before closing the emulator,
 * so the client never tries to reconnect to a closed server.
 */
export async function startE2E(knowledgeBase: KnowledgeBase, timeoutMs = 10_000): Promise<E2E> {
  const emulator = await DiscordEmulator.start({
    guilds: [{ name: 'Summit watchers', roles: [{ name: MODERATOR_ROLE, permissions: PermissionFlagsBits.PinMessages | PermissionFlagsBits.ManageMessages }] }],
  });
  const moderatorRole = emulator.defaultGuild.roles.find((role) => role.name === MODERATOR_ROLE);
  if (!moderatorRole) throw new Error('The emulator did not create the moderator role.');
  const { logger, logs } = capturedLogger();
  let clockOffset = 0;
  const config = parseConfig({ DISCORD_TOKEN: E2E_TOKEN, DISCORD_API_URL: emulator.apiUrl, COOLDOWN_SECONDS: '0', LOG_LEVEL: 'silent' });
  const bot = startGatewayBot({
    config,
    knowledgeBase: () => knowledgeBase,
    logger,
    clientOptions: { ws: { buildIdentifyThrottler: () => noIdentifyThrottle } },
    now: () => Date.now() + clockOffset,
  });
  const stop = async () => {
    await bot.stop();
    await emulator.close();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      bot.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`The bot was not ready within ${timeoutMs} ms.`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const dispatch = (spec: InteractionSpec) => emulator.dispatchInteraction(spec);
  return {
    emulator,
    moderator: [moderatorRole.id],
    bot,
    logs,
    dispatch,
    command(name, options = {}, spec = {}) {
      const users: Record<string, APIUser> = {};
      const data = Object.entries(options).map(([optionName, value]): APIApplicationCommandInteractionDataOption => {
        if (typeof value === 'boolean') return { name: optionName, type: ApplicationCommandOptionType.Boolean, value };
        if (typeof value === 'string') return { name: optionName, type: ApplicationCommandOptionType.String, value };
        users[value.id] = value;
        return { name: optionName, type: ApplicationCommandOptionType.User, value: value.id };
      });
      return dispatch({
        ...(spec as object),
        type: 'chatInput',
        name,
        options: data,
        ...(Object.keys(users).length ? { resolved: { users } } : {}),
      } as InteractionSpec);
    },
    async answer(interaction) {
      const acknowledgement = await interaction.waitForAcknowledgement();
      const body = acknowledgement.body as { type: InteractionResponseType; data?: MessageBody };
      if (body.type !== InteractionResponseType.DeferredChannelMessageWithSource) {
        return { type: body.type, payload: body.data ?? {}, request: acknowledgement, message: interaction.originalMessage() };
      }
      const edit = await emulator.waitForRequest(
        (request) =>
          request.method === 'PATCH' &&
          request.path === `/webhooks/${emulator.applicationId}/${interaction.token}/messages/@original` &&
          request.response.status < 300,
      );
      return { type: body.type, payload: edit.body as MessageBody, request: edit, message: interaction.originalMessage() };
    },
    advanceBotClock(ms) {
      clockOffset += ms;
    },
    stop,
  };
}

/** The custom ids of a message body's buttons, in order. */
export function customIds(body: Pick<MessageBody, 'components'> | undefined): string[] {
  return (body?.components ?? []).flatMap((row) => row.components.map((component) => component.custom_id ?? ''));
}

/** The labels of a message body's buttons, in order. */
export function buttonLabels(body: Pick<MessageBody, 'components'> | undefined): string[] {
  return (body?.components ?? []).flatMap((row) => row.components.map((component) => component.label ?? ''));
}

/** The first embed's description; throws (with the body) when there is none. */
export function descriptionOf(body: MessageBody): string {
  const description = body.embeds?.[0]?.description;
  if (description === undefined) throw new Error(`No embed description in ${JSON.stringify(body)}`);
  return description;
}
