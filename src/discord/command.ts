import type {
  APIApplicationCommandOptionChoice,
  APIEmbed,
  ApplicationCommandOptionType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { KnowledgeBase } from '../knowledgeBase.ts';
import type { ChannelActions } from './channelActions.ts';
import type { Reply } from './reply.ts';

/** Who invoked an interaction and where: the same whichever transport delivered it. */
export interface Invocation {
  /** The interaction id, for logs. */
  readonly id: string;
  readonly user: { readonly id: string; readonly username: string };
  readonly guildId?: string;
  readonly channelId?: string;
  /** The member's permissions in the channel, as Discord computed them; absent in DMs. */
  readonly memberPermissions?: bigint;
  /** The bot's permissions in the channel. */
  readonly appPermissions?: bigint;
}

/** What every handler may use. */
export interface CommandContext {
  readonly kb: KnowledgeBase;
  readonly invocation: Invocation;
  /** Channel operations through Discord's REST API; absent where there is no Discord (console). */
  readonly channel?: ChannelActions;
  /** The time now, injectable so expiry can be tested without waiting. */
  readonly now: () => number;
}

// --- Arguments derived from the command definitions: never restated by hand. ---

interface OptionValueTypes {
  [ApplicationCommandOptionType.String]: string;
  [ApplicationCommandOptionType.Integer]: number;
  [ApplicationCommandOptionType.Number]: number;
  [ApplicationCommandOptionType.Boolean]: boolean;
  /** A user option's value is the user's id. */
  [ApplicationCommandOptionType.User]: string;
}

type OptionDefinition = { readonly name: string; readonly type: number; readonly required?: boolean };

type ValueOf<O extends OptionDefinition> = O['type'] extends keyof OptionValueTypes ? OptionValueTypes[O['type']] : never;

/** `{ question: string; hide?: boolean }` from a definition's options. */
export type ArgumentsOf<D> = D extends { readonly options: readonly OptionDefinition[] }
  ? { [O in D['options'][number] as O['required'] extends true ? O['name'] : never]: ValueOf<O> } & {
      [O in D['options'][number] as O['required'] extends true ? never : O['name']]?: ValueOf<O>;
    }
  : Record<string, never>;

/** The raw options as both discord.js (`interaction.options.data`) and the HTTP payload carry them. */
export interface RawOption {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean;
  readonly focused?: boolean;
}

// --- Command modules ---

export type CommandResult =
  /** Answer the interaction with a new message. */
  | { readonly kind: 'reply'; readonly reply: Reply }
  /** For a button: replace the message the button is on. */
  | { readonly kind: 'update'; readonly reply: Reply };

export interface ComponentHandler {
  /** custom_id prefix this module answers, e.g. "ask:" */
  readonly prefix: string;
  readonly handle: (context: CommandContext & { readonly customId: string; readonly message?: SourceMessage }) => Promise<CommandResult>;
}

/** The message a button sits on, as much of it as the handlers use. */
export interface SourceMessage {
  readonly id: string;
  readonly content: string;
  readonly embeds: readonly APIEmbed[];
  readonly components?: readonly { readonly components?: readonly { readonly custom_id?: string }[] }[];
}

interface CommandModuleBase {
  /** Commands that post publicly are rate-limited per user (see cooldown.ts). */
  readonly postsPublicly?: boolean;
  /**
   * Acknowledge before running, for work that may outlast Discord's 3 s deadline (several REST
   * calls). The reply then edits the deferred message, so it keeps this visibility.
   */
  readonly defer?: { readonly ephemeral: boolean };
  readonly components?: readonly ComponentHandler[];
}

export interface ChatInputCommandModule<D extends RESTPostAPIChatInputApplicationCommandsJSONBody = RESTPostAPIChatInputApplicationCommandsJSONBody>
  extends CommandModuleBase {
  readonly kind: 'chatInput';
  readonly definition: D;
  readonly execute: (context: CommandContext, args: ArgumentsOf<D>) => Promise<CommandResult>;
  /** Autocomplete for the focused option; `value` is what the user typed so far. */
  readonly autocomplete?: (context: CommandContext, focused: { name: string; value: string }) => Promise<APIApplicationCommandOptionChoice[]>;
  /** Whether a given call posts publicly (e.g. /ask with hide:true does not). */
  readonly isPublic?: (args: ArgumentsOf<D>) => boolean;
}

export interface MessageCommandModule extends CommandModuleBase {
  readonly kind: 'message';
  readonly definition: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  readonly execute: (context: CommandContext, target: SourceMessage) => Promise<CommandResult>;
}

/**
 * A chat-input command with its argument types erased, as the registry holds them. Arguments
 * are parsed against the definition before they reach `execute` (see arguments.ts).
 */
export interface RegisteredChatInputCommand extends CommandModuleBase {
  readonly kind: 'chatInput';
  readonly definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  readonly execute: (context: CommandContext, args: never) => Promise<CommandResult>;
  readonly autocomplete?: ChatInputCommandModule['autocomplete'];
  readonly isPublic?: (args: never) => boolean;
}

export type CommandModule = RegisteredChatInputCommand | MessageCommandModule;

/** Defines a chat-input command so that its handler's arguments are typed from its definition. */
export function defineChatInputCommand<const D extends RESTPostAPIChatInputApplicationCommandsJSONBody>(
  module: Omit<ChatInputCommandModule<D>, 'kind'> & { definition: D },
): ChatInputCommandModule<D> {
  return { kind: 'chatInput', ...module };
}

export function defineMessageCommand(module: Omit<MessageCommandModule, 'kind'>): MessageCommandModule {
  return { kind: 'message', ...module };
}
