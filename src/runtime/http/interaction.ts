import { ApplicationCommandType, InteractionType } from 'discord-api-types/v10';
import type { Invocation, RawOption, SourceMessage } from '../../discord/command.ts';
import type { Incoming } from '../../discord/dispatcher.ts';

/**
 * An interaction as Discord POSTs it, read into the dispatcher's transport-neutral `Incoming`.
 * The payload is signed, so it is Discord's, but its shape is still checked field by field: the
 * endpoint answers 400 rather than crash on something unexpected.
 */
export type ParsedInteraction =
  | { readonly kind: 'ping' }
  | { readonly kind: 'interaction'; readonly incoming: Incoming; readonly route: InteractionRoute }
  /** A kind of interaction this bot never registers (user context menu, modal submit, …). */
  | { readonly kind: 'unsupported'; readonly type: number; readonly route: InteractionRoute }
  | { readonly kind: 'invalid'; readonly reason: string };

/** What the REST calls after the first answer need: the webhook is `/webhooks/{applicationId}/{token}`. */
export interface InteractionRoute {
  readonly id: string;
  readonly applicationId: string;
  readonly token: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const snowflake = (value: unknown): string | undefined => (typeof value === 'string' && /^\d{1,20}$/.test(value) ? value : undefined);
const bitfield = (value: unknown): bigint | undefined => (typeof value === 'string' && /^\d{1,40}$/.test(value) ? BigInt(value) : undefined);

export function parseInteraction(payload: unknown): ParsedInteraction {
  if (!isObject(payload) || typeof payload['type'] !== 'number') return { kind: 'invalid', reason: 'not an interaction (no type)' };
  const type = payload['type'];
  if (type === InteractionType.Ping) return { kind: 'ping' };

  const id = snowflake(payload['id']);
  const applicationId = snowflake(payload['application_id']);
  const token = text(payload['token']);
  if (!id || !applicationId || !token) return { kind: 'invalid', reason: 'id, application_id and token are required' };
  const route = { id, applicationId, token };
  const invocation = invocationOf(payload, id);
  if (!invocation) return { kind: 'invalid', reason: 'no user or member.user' };
  const data = isObject(payload['data']) ? payload['data'] : undefined;

  switch (type) {
    case InteractionType.ApplicationCommand: {
      const name = text(data?.['name']);
      if (!data || !name) return { kind: 'invalid', reason: 'an application command needs data.name' };
      const commandType = data['type'] ?? ApplicationCommandType.ChatInput;
      if (commandType === ApplicationCommandType.ChatInput) {
        return { kind: 'interaction', route, incoming: { type: 'command', name, options: rawOptions(data['options']), invocation } };
      }
      if (commandType === ApplicationCommandType.Message) {
        const targetId = text(data['target_id']);
        const resolved = isObject(data['resolved']) && isObject(data['resolved']['messages']) ? data['resolved']['messages'] : {};
        const target = targetId === undefined ? undefined : sourceMessage(resolved[targetId]);
        if (!target) return { kind: 'invalid', reason: 'a message command needs its target in data.resolved.messages' };
        return { kind: 'interaction', route, incoming: { type: 'message-command', name, target, invocation } };
      }
      return { kind: 'unsupported', type, route };
    }
    case InteractionType.MessageComponent: {
      const customId = text(data?.['custom_id']);
      if (customId === undefined) return { kind: 'invalid', reason: 'a component interaction needs data.custom_id' };
      const message = sourceMessage(payload['message']);
      return { kind: 'interaction', route, incoming: { type: 'component', customId, ...(message ? { message } : {}), invocation } };
    }
    case InteractionType.ApplicationCommandAutocomplete: {
      const name = text(data?.['name']);
      if (!data || !name) return { kind: 'invalid', reason: 'an autocomplete needs data.name' };
      return { kind: 'interaction', route, incoming: { type: 'autocomplete', name, options: rawOptions(data['options']), invocation } };
    }
    default:
      return { kind: 'unsupported', type, route };
  }
}

/** The invoker is `member.user` in a server and `user` in DMs. */
function invocationOf(payload: Json, id: string): Invocation | undefined {
  const member = isObject(payload['member']) ? payload['member'] : undefined;
  const user = isObject(member?.['user']) ? member['user'] : isObject(payload['user']) ? payload['user'] : undefined;
  const userId = snowflake(user?.['id']);
  if (!user || !userId) return undefined;
  const guildId = snowflake(payload['guild_id']);
  const channelId = snowflake(payload['channel_id']) ?? (isObject(payload['channel']) ? snowflake(payload['channel']['id']) : undefined);
  const memberPermissions = bitfield(member?.['permissions']);
  const appPermissions = bitfield(payload['app_permissions']);
  return {
    id,
    user: { id: userId, username: text(user['username']) ?? '' },
    ...(guildId ? { guildId } : {}),
    ...(channelId ? { channelId } : {}),
    ...(memberPermissions !== undefined ? { memberPermissions } : {}),
    ...(appPermissions !== undefined ? { appPermissions } : {}),
  };
}

/** Top-level options, as the gateway transport reads them from discord.js. */
function rawOptions(options: unknown): RawOption[] {
  if (!Array.isArray(options)) return [];
  return options.filter(isObject).flatMap((option): RawOption[] => {
    const name = text(option['name']);
    const type = option['type'];
    if (name === undefined || typeof type !== 'number') return [];
    const value = option['value'];
    return [
      {
        name,
        type,
        ...(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? { value } : {}),
        ...(option['focused'] === true ? { focused: true } : {}),
      },
    ];
  });
}

function sourceMessage(message: unknown): SourceMessage | undefined {
  if (!isObject(message)) return undefined;
  const id = snowflake(message['id']);
  if (!id) return undefined;
  return {
    id,
    content: text(message['content']) ?? '',
    embeds: Array.isArray(message['embeds']) ? (message['embeds'].filter(isObject) as SourceMessage['embeds'][number][]) : [],
    components: Array.isArray(message['components']) ? (message['components'].filter(isObject) as NonNullable<SourceMessage['components']>[number][]) : [],
  };
}
