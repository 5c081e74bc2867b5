import {
  type AutocompleteInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type ClientOptions,
  type Interaction,
  type InteractionReplyOptions,
  type Message,
  type MessageComponentInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from '../logger.ts';
import type { Invocation, SourceMessage } from './command.ts';
import type { Dispatcher, Incoming, Responder } from './dispatcher.ts';
import type { MessagePayload } from './render.ts';
import type { ReplyFile } from './reply.ts';

/**
 * The gateway transport: a discord.js client with the Guilds intent only (slash commands need no
 * privileged intent), handing every interaction to the dispatcher.
 */
export function createGatewayClient(options: { apiUrl?: string; extra?: Partial<ClientOptions> } = {}): Client {
  const { extra = {} } = options;
  return new Client({
    ...extra,
    intents: [GatewayIntentBits.Guilds],
    rest: { ...extra.rest, ...(options.apiUrl ? { api: options.apiUrl } : {}) },
  });
}

/** Wires a client's interactions to the dispatcher. Errors never escape to the client's emitter. */
export function attachDispatcher(client: Client, dispatcher: Dispatcher, logger: Logger): void {
  client.on(Events.InteractionCreate, (interaction) => {
    const incoming = toIncoming(interaction);
    if (!incoming) return;
    // The dispatcher is the error boundary; this catch only guards against a bug in it.
    dispatcher.handle(incoming, gatewayResponder(interaction as RepliableInteraction | AutocompleteInteraction)).catch((error: unknown) => {
      logger.error({ err: error, interaction: interaction.id }, 'dispatcher failed');
    });
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardError, (error, shardId) => logger.error({ err: error, shardId }, 'gateway connection error'));
  client.on(Events.ShardReconnecting, (shardId) => logger.warn({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'gateway resumed'));
  client.on(Events.Warn, (message) => logger.warn(message));
}

export function invocationOf(interaction: Interaction): Invocation {
  return {
    id: interaction.id,
    user: { id: interaction.user.id, username: interaction.user.username },
    ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
    ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
    ...(interaction.memberPermissions ? { memberPermissions: interaction.memberPermissions.bitfield } : {}),
    ...(interaction.appPermissions ? { appPermissions: interaction.appPermissions.bitfield } : {}),
  };
}

function toIncoming(interaction: Interaction): Incoming | undefined {
  const invocation = invocationOf(interaction);
  if (interaction.isChatInputCommand()) {
    return { type: 'command', name: interaction.commandName, options: rawOptions(interaction.options.data), invocation };
  }
  if (interaction.isAutocomplete()) {
    return { type: 'autocomplete', name: interaction.commandName, options: rawOptions(interaction.options.data), invocation };
  }
  if (interaction.isMessageContextMenuCommand()) {
    return { type: 'message-command', name: interaction.commandName, target: sourceMessage(interaction.targetMessage), invocation };
  }
  if (interaction.isButton()) {
    return { type: 'component', customId: interaction.customId, message: sourceMessage(interaction.message), invocation };
  }
  return undefined;
}

function rawOptions(data: readonly { name: string; type: number; value?: string | number | boolean; focused?: boolean }[]) {
  return data.map((o) => ({ name: o.name, type: o.type, ...(o.value !== undefined ? { value: o.value } : {}), ...(o.focused ? { focused: true } : {}) }));
}

function sourceMessage(message: Message): SourceMessage {
  return {
    id: message.id,
    content: message.content,
    embeds: message.embeds.map((e) => e.toJSON()),
    components: message.components.map((c) => c.toJSON() as { components?: { custom_id?: string }[] }),
  };
}

function toOptions(payload: MessagePayload, files: readonly ReplyFile[]): InteractionReplyOptions {
  return {
    ...(payload.content !== undefined ? { content: payload.content } : {}),
    ...(payload.embeds ? { embeds: payload.embeds } : {}),
    ...(payload.components ? { components: payload.components as InteractionReplyOptions['components'] } : {}),
    allowedMentions: { parse: [], ...(payload.allowed_mentions.users ? { users: payload.allowed_mentions.users } : {}) },
    ...(payload.flags ? { flags: payload.flags } : {}),
    ...(files.length ? { files: files.map((f) => ({ attachment: f.data, name: f.name, ...(f.description ? { description: f.description } : {}) })) } : {}),
  } as InteractionReplyOptions;
}

function gatewayResponder(interaction: RepliableInteraction | AutocompleteInteraction): Responder {
  if (interaction.isAutocomplete()) {
    const unsupported = async () => {
      throw new Error('an autocomplete interaction can only be answered with choices');
    };
    return {
      get acknowledged() {
        return interaction.responded;
      },
      defer: unsupported,
      reply: unsupported,
      update: unsupported,
      followUp: unsupported,
      async autocomplete(choices) {
        await interaction.respond([...choices]);
      },
    };
  }
  return {
    get acknowledged() {
      return interaction.replied || interaction.deferred;
    },
    async defer(ephemeral) {
      await interaction.deferReply(ephemeral ? { flags: 64 } : {});
    },
    async reply(payload, files) {
      const options = toOptions(payload, files);
      if (interaction.deferred || interaction.replied) {
        const { flags: _flags, ...edit } = options;
        await interaction.editReply(edit);
      } else await interaction.reply(options);
    },
    async update(payload, files) {
      const options = toOptions(payload, files);
      const { flags: _flags, ...update } = options;
      await (interaction as MessageComponentInteraction).update(update);
    },
    async followUp(payload) {
      await interaction.followUp(toOptions(payload, []));
    },
    async autocomplete() {
      throw new Error('only an autocomplete interaction can be answered with choices');
    },
  };
}
