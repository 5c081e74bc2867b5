import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { KnowledgeBase } from '../knowledgeBase.ts';
import type { Logger } from '../logger.ts';
import { parseArguments } from './arguments.ts';
import { isDeadInteraction } from './discordErrors.ts';
import type { ChannelActions } from './channelActions.ts';
import type { CommandContext, CommandModule, CommandResult, Invocation, RawOption, SourceMessage } from './command.ts';
import type { Cooldown } from './cooldown.ts';
import { DiscordLimits } from './limits.ts';
import { toMessagePayload, truncate, type MessagePayload } from './render.ts';
import { UserError, type Reply, type ReplyFile } from './reply.ts';

/** An interaction as every transport hands it over. */
export type Incoming =
  | { readonly type: 'command'; readonly name: string; readonly options: readonly RawOption[]; readonly invocation: Invocation }
  | { readonly type: 'message-command'; readonly name: string; readonly target: SourceMessage; readonly invocation: Invocation }
  | { readonly type: 'component'; readonly customId: string; readonly message?: SourceMessage; readonly invocation: Invocation }
  | { readonly type: 'autocomplete'; readonly name: string; readonly options: readonly RawOption[]; readonly invocation: Invocation };

/** How a transport answers one interaction. */
export interface Responder {
  /** True once the interaction has been answered or deferred. */
  readonly acknowledged: boolean;
  /** Acknowledge now and answer later (within 15 minutes) through `reply`. */
  defer(ephemeral: boolean): Promise<void>;
  /** The first answer (or, after a defer, the deferred one). */
  reply(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void>;
  /** For buttons: replace the message the button is on. */
  update(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void>;
  /** Another message after the first answer. */
  followUp(payload: MessagePayload): Promise<void>;
  autocomplete(choices: readonly APIApplicationCommandOptionChoice[]): Promise<void>;
}

export interface DispatcherOptions {
  readonly commands: readonly CommandModule[];
  /** The knowledge base to answer from now: it may be swapped while the bot runs. */
  readonly knowledgeBase: () => KnowledgeBase;
  readonly logger: Logger;
  readonly cooldown?: Cooldown;
  readonly channel?: ChannelActions;
  readonly now?: () => number;
}

export const APOLOGY = 'Sorry, something went wrong on my side while answering that. It has been logged; please try again.';

/**
 * Routes interactions to command modules, and is the error boundary of every transport:
 * expected failures (UserError) become an ephemeral ❌ reply, anything else is logged with the
 * interaction's id, command and user and answered with an apology. `handle` never throws.
 */
export class Dispatcher {
  private readonly byName: ReadonlyMap<string, CommandModule>;
  private readonly options: DispatcherOptions;

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.byName = new Map(options.commands.map((c) => [c.definition.name, c]));
  }

  async handle(incoming: Incoming, outer: Responder): Promise<void> {
    const label = describe(incoming);
    // Whether this dispatcher deferred and has not answered yet: an error must then fill the
    // "thinking…" message rather than leave it spinning under a separate follow-up.
    let pendingDefer = false;
    const responder: Responder = {
      get acknowledged() {
        return outer.acknowledged;
      },
      defer: async (ephemeral) => {
        await outer.defer(ephemeral);
        pendingDefer = true;
      },
      reply: (payload, files) => outer.reply(payload, files),
      update: (payload, files) => outer.update(payload, files),
      followUp: (payload) => outer.followUp(payload),
      autocomplete: (choices) => outer.autocomplete(choices),
    };
    try {
      if (incoming.type === 'autocomplete') {
        await responder.autocomplete(await this.autocomplete(incoming));
        return;
      }
      const result = await this.run(incoming, responder);
      const payload = toMessagePayload(result.reply);
      const files = result.reply.files ?? [];
      if (result.kind === 'update') await responder.update(payload, files);
      else await responder.reply(payload, files);
    } catch (error) {
      await this.fail(error, incoming, label, outer, pendingDefer);
    }
  }

  private async run(incoming: Exclude<Incoming, { type: 'autocomplete' }>, responder: Responder): Promise<CommandResult> {
    const context = this.context(incoming.invocation);
    switch (incoming.type) {
      case 'command': {
        const command = this.byName.get(incoming.name);
        if (command?.kind !== 'chatInput') throw new UserError(`I don't know the command /${truncate(incoming.name, 32)}. Try /about.`);
        const args = parseArguments(command.definition, incoming.options) as never;
        if (command.postsPublicly && (command.isPublic?.(args) ?? true)) this.checkCooldown(incoming.invocation);
        if (command.defer) await responder.defer(command.defer.ephemeral);
        return command.execute(context, args);
      }
      case 'message-command': {
        const command = this.byName.get(incoming.name);
        if (command?.kind !== 'message') throw new UserError(`I don't know the command “${truncate(incoming.name, 32)}”.`);
        if (command.defer) await responder.defer(command.defer.ephemeral);
        return command.execute(context, incoming.target);
      }
      case 'component': {
        const handler = this.options.commands
          .flatMap((c) => c.components ?? [])
          .find((h) => incoming.customId.startsWith(h.prefix));
        if (!handler) throw new UserError('That button no longer works. Run the command again.');
        return handler.handle({ ...context, customId: incoming.customId, ...(incoming.message ? { message: incoming.message } : {}) });
      }
    }
  }

  private async autocomplete(incoming: Extract<Incoming, { type: 'autocomplete' }>): Promise<APIApplicationCommandOptionChoice[]> {
    const command = this.byName.get(incoming.name);
    const focused = incoming.options.find((o) => o.focused);
    if (command?.kind !== 'chatInput' || !command.autocomplete || !focused) return [];
    const choices = await command.autocomplete(this.context(incoming.invocation), { name: focused.name, value: String(focused.value ?? '') });
    return choices.slice(0, DiscordLimits.autocompleteChoices).map((c) => ({
      ...c,
      name: truncate(c.name, DiscordLimits.choiceName) || '…',
      value: typeof c.value === 'string' ? c.value.slice(0, DiscordLimits.choiceValue) : c.value,
    })) as APIApplicationCommandOptionChoice[];
  }

  private checkCooldown(invocation: Invocation): void {
    const waitMs = this.options.cooldown?.take(invocation.user.id) ?? 0;
    if (waitMs > 0) {
      throw new UserError(`Please wait ${Math.ceil(waitMs / 1000)} s before posting again (or add hide:true to see an answer privately now).`);
    }
  }

  private context(invocation: Invocation): CommandContext {
    return {
      kb: this.options.knowledgeBase(),
      invocation,
      now: this.options.now ?? Date.now,
      ...(this.options.channel ? { channel: this.options.channel } : {}),
    };
  }

  private async fail(error: unknown, incoming: Incoming, label: string, responder: Responder, pendingDefer: boolean): Promise<void> {
    const { logger } = this.options;
    if (isDeadInteraction(error)) {
      // Too late (over 3 s) or already answered elsewhere: no reply can reach the member, so
      // an apology would only fail the same way.
      logger.warn({ err: error, interaction: incoming.invocation.id, command: label, user: incoming.invocation.user.id }, 'interaction expired before it was answered');
      return;
    }
    const expected = error instanceof UserError;
    if (!expected) {
      logger.error({ err: error, interaction: incoming.invocation.id, command: label, user: incoming.invocation.user.id }, 'interaction failed');
    }
    if (incoming.type === 'autocomplete') {
      // An autocomplete cannot show an error; an empty list is the honest answer.
      await responder.autocomplete([]).catch(() => undefined);
      return;
    }
    const reply: Reply = { content: expected ? `❌ ${error.message}` : APOLOGY, ephemeral: true };
    try {
      if (responder.acknowledged && !pendingDefer) await responder.followUp(toMessagePayload(reply));
      else await responder.reply(toMessagePayload(reply), []);
    } catch (sendError) {
      // The interaction may be gone (10062 after 3 s, or 15 min for follow-ups): nothing more
      // can reach this user, so log it and keep serving everyone else.
      logger.warn({ err: sendError, interaction: incoming.invocation.id, command: label }, 'could not send the error reply');
    }
  }
}

function describe(incoming: Incoming): string {
  switch (incoming.type) {
    case 'command':
    case 'autocomplete':
      return `/${incoming.name}`;
    case 'message-command':
      return incoming.name;
    case 'component':
      return `button ${incoming.customId.split(':').slice(0, 2).join(':')}`;
  }
}
