import { ApplicationCommandType } from 'discord.js';
import { discordError, DiscordErrorCode, invalidFormBody, type EmulatorResponse } from './errors.ts';
import type { SnowflakeGenerator } from './snowflake.ts';
import { commandListProblems, commandProblems } from './validation.ts';

/** An application command as Discord returns it (the request body plus the fields Discord adds). */
export interface StoredCommand extends Record<string, unknown> {
  id: string;
  name: string;
  type: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sameCommand = (command: StoredCommand, input: Record<string, unknown>) =>
  command.name === input['name'] && command.type === (input['type'] ?? ApplicationCommandType.ChatInput);

/**
 * The application's commands, global and per guild. A bulk PUT replaces a whole list (keeping the
 * ids of commands that stay, as Discord does); POST upserts by name and type.
 */
export class CommandRegistry {
  readonly global: StoredCommand[] = [];
  readonly byGuild = new Map<string, StoredCommand[]>();
  readonly #unregisteredIds = new Map<string, string>();
  readonly #ids: SnowflakeGenerator;
  readonly #applicationId: string;

  constructor(ids: SnowflakeGenerator, applicationId: string) {
    this.#ids = ids;
    this.#applicationId = applicationId;
  }

  list(guildId: string | null): StoredCommand[] {
    if (guildId === null) return this.global;
    let list = this.byGuild.get(guildId);
    if (!list) {
      list = [];
      this.byGuild.set(guildId, list);
    }
    return list;
  }

  /** The registered command an interaction in `guildId` would invoke (guild commands first). */
  find(guildId: string, name: string, type: number): { command: StoredCommand; guildCommand: boolean } | undefined {
    const matches = (command: StoredCommand) => command.name === name && command.type === type;
    const guildCommand = this.list(guildId).find(matches);
    if (guildCommand) return { command: guildCommand, guildCommand: true };
    const globalCommand = this.global.find(matches);
    return globalCommand ? { command: globalCommand, guildCommand: false } : undefined;
  }

  /** The id to put in an interaction: the registered command's, or a stable made-up one. */
  idFor(guildId: string, name: string, type: number): string {
    const registered = this.find(guildId, name, type);
    if (registered) return registered.command.id;
    const key = `${type}:${name}`;
    let id = this.#unregisteredIds.get(key);
    if (!id) {
      id = this.#ids.next();
      this.#unregisteredIds.set(key, id);
    }
    return id;
  }

  overwrite(guildId: string | null, body: unknown): EmulatorResponse {
    const problems = commandListProblems(body);
    if (problems.length > 0) return invalidFormBody(problems);
    const list = this.list(guildId);
    const next = (body as Record<string, unknown>[]).map((input) =>
      this.#normalize(input, guildId, list.find((existing) => sameCommand(existing, input))),
    );
    list.splice(0, list.length, ...next);
    return { status: 200, body: list };
  }

  upsert(guildId: string | null, body: unknown): EmulatorResponse {
    const problems = commandProblems(body);
    if (problems.length > 0) return invalidFormBody(problems);
    const input = body as Record<string, unknown>;
    const list = this.list(guildId);
    const index = list.findIndex((existing) => sameCommand(existing, input));
    const command = this.#normalize(input, guildId, list[index]);
    if (index === -1) {
      list.push(command);
      return { status: 201, body: command };
    }
    list[index] = command;
    return { status: 200, body: command };
  }

  get(guildId: string | null, commandId: string): EmulatorResponse {
    const command = this.list(guildId).find((candidate) => candidate.id === commandId);
    return command ? { status: 200, body: command } : discordError(DiscordErrorCode.UnknownApplicationCommand);
  }

  edit(guildId: string | null, commandId: string, body: unknown): EmulatorResponse {
    const list = this.list(guildId);
    const index = list.findIndex((candidate) => candidate.id === commandId);
    const current = list[index];
    if (!current) return discordError(DiscordErrorCode.UnknownApplicationCommand);
    const merged = { ...current, ...(isRecord(body) ? body : {}), id: current.id };
    const problems = commandProblems(merged);
    if (problems.length > 0) return invalidFormBody(problems);
    const command = this.#normalize(merged, guildId, current);
    list[index] = command;
    return { status: 200, body: command };
  }

  remove(guildId: string | null, commandId: string): EmulatorResponse {
    const list = this.list(guildId);
    const index = list.findIndex((candidate) => candidate.id === commandId);
    if (index === -1) return discordError(DiscordErrorCode.UnknownApplicationCommand);
    list.splice(index, 1);
    return { status: 204 };
  }

  #normalize(input: Record<string, unknown>, guildId: string | null, existing: StoredCommand | undefined): StoredCommand {
    return {
      ...input,
      id: existing?.id ?? this.#ids.next(),
      application_id: this.#applicationId,
      version: this.#ids.next(),
      type: typeof input['type'] === 'number' ? input['type'] : ApplicationCommandType.ChatInput,
      name: String(input['name']),
      description: typeof input['description'] === 'string' ? input['description'] : '',
      default_member_permissions: input['default_member_permissions'] ?? null,
      dm_permission: input['dm_permission'] ?? true,
      nsfw: input['nsfw'] ?? false,
      integration_types: input['integration_types'] ?? [0],
      contexts: input['contexts'] ?? null,
      ...(guildId === null ? {} : { guild_id: guildId }),
    };
  }
}
