import { DiscordAPIError } from '@discordjs/rest';
import type { APIMessage } from 'discord-api-types/v10';
import type { ChannelActions } from '../../src/discord/channelActions.ts';
import type { MessagePayload } from '../../src/discord/render.ts';

/**
 * An in-memory Discord channel standing in for the REST API in unit tests (the wire-level tests
 * use the emulator). It keeps messages and pins like Discord does and can fail a call with a
 * real DiscordAPIError.
 */
export class FakeChannel implements ChannelActions {
  readonly botUserId = '900000000000000001';
  readonly messages = new Map<string, APIMessage>();
  readonly pins: string[] = [];
  readonly calls: string[] = [];
  private nextId = 1_000_000_000_000_000_000n;
  private failures: { call: string; code: number; status: number }[] = [];

  failNext(call: 'send' | 'edit' | 'pin' | 'pinnedMessages', code: number, status: number): void {
    this.failures.push({ call, code, status });
  }

  /** Adds a message by someone (or the bot) already pinned in the channel. */
  seedPinned(authorId: string, footer: string | undefined): APIMessage {
    const message = this.makeMessage(authorId, { allowed_mentions: { parse: [] }, embeds: footer ? [{ footer: { text: footer } }] : [] });
    this.pins.unshift(message.id);
    return message;
  }

  async pinnedMessages(channelId: string): Promise<APIMessage[]> {
    this.record('pinnedMessages', channelId);
    return this.pins.map((id) => this.messages.get(id) as APIMessage);
  }

  async send(channelId: string, payload: MessagePayload): Promise<APIMessage> {
    this.record('send', channelId);
    return this.makeMessage(this.botUserId, payload);
  }

  async edit(channelId: string, messageId: string, payload: MessagePayload): Promise<APIMessage> {
    this.record('edit', channelId);
    const message = this.messages.get(messageId);
    if (!message) throw this.apiError(10008, 404, 'edit');
    const edited = { ...message, embeds: payload.embeds ?? [], content: payload.content ?? '' };
    this.messages.set(messageId, edited);
    return edited;
  }

  async pin(channelId: string, messageId: string): Promise<void> {
    this.record('pin', channelId);
    this.pins.unshift(messageId);
  }

  async delete(channelId: string, messageId: string): Promise<void> {
    this.calls.push(`delete:${channelId}`);
    this.messages.delete(messageId);
  }

  private record(call: string, channelId: string): void {
    this.calls.push(`${call}:${channelId}`);
    const index = this.failures.findIndex((f) => f.call === call);
    if (index === -1) return;
    const [failure] = this.failures.splice(index, 1);
    if (failure) throw this.apiError(failure.code, failure.status, call);
  }

  private apiError(code: number, status: number, call: string): DiscordAPIError {
    return new DiscordAPIError({ code, message: `scripted failure ${code}` }, code, status, 'POST', `/fake/${call}`, { body: undefined, files: undefined });
  }

  private makeMessage(authorId: string, payload: MessagePayload): APIMessage {
    const id = String(this.nextId++);
    const message = {
      id,
      channel_id: 'channel',
      author: { id: authorId, username: authorId === this.botUserId ? 'summit-bot' : 'someone', discriminator: '0', global_name: null, avatar: null },
      content: payload.content ?? '',
      embeds: payload.embeds ?? [],
      timestamp: new Date(0).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      type: 0,
    } as APIMessage;
    this.messages.set(id, message);
    return message;
  }
}
