import type { REST } from '@discordjs/rest';
import { Routes, type APIMessage, type RESTGetAPIChannelMessagesPinsResult } from 'discord-api-types/v10';
import { DiscordLimits } from './limits.ts';
import type { MessagePayload } from './render.ts';

/**
 * The channel operations the commands need, over Discord's REST API. Both transports have a REST
 * client (discord.js's `client.rest`, or a standalone one for the HTTP endpoint), so pinning works
 * the same from either.
 */
export interface ChannelActions {
  /** The bot's own user id: pinned summaries are recognised by their author. */
  readonly botUserId: string;
  /** Pinned messages of a channel, newest pin first (the channel holds at most 250). */
  pinnedMessages(channelId: string): Promise<APIMessage[]>;
  send(channelId: string, payload: MessagePayload): Promise<APIMessage>;
  edit(channelId: string, messageId: string, payload: MessagePayload): Promise<APIMessage>;
  pin(channelId: string, messageId: string, reason?: string): Promise<void>;
  delete(channelId: string, messageId: string): Promise<void>;
}

/** Pins come 50 a page on the pins route. */
const PINS_PAGE_SIZE = 50;

export function restChannelActions(rest: REST, botUserId: string): ChannelActions {
  return {
    botUserId,
    async pinnedMessages(channelId) {
      const messages: APIMessage[] = [];
      let before: string | undefined;
      while (messages.length < DiscordLimits.pinsPerChannel) {
        const query = new URLSearchParams({ limit: String(PINS_PAGE_SIZE) });
        if (before) query.set('before', before);
        const page = (await rest.get(Routes.channelMessagesPins(channelId), { query })) as RESTGetAPIChannelMessagesPinsResult;
        messages.push(...page.items.map((item) => item.message));
        const last = page.items.at(-1);
        if (!page.has_more || !last) break;
        before = last.pinned_at;
      }
      return messages;
    },
    async send(channelId, payload) {
      return (await rest.post(Routes.channelMessages(channelId), { body: payload })) as APIMessage;
    },
    async edit(channelId, messageId, payload) {
      const { flags: _flags, ...body } = payload;
      return (await rest.patch(Routes.channelMessage(channelId, messageId), { body })) as APIMessage;
    },
    async pin(channelId, messageId, reason) {
      await rest.put(Routes.channelMessagesPin(channelId, messageId), reason ? { reason } : {});
    },
    async delete(channelId, messageId) {
      await rest.delete(Routes.channelMessage(channelId, messageId));
    },
  };
}
