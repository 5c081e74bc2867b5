import { MessageFlags, type APIAttachment, type APIEmbed, type APIMessage, type APIUser, type MessageType } from 'discord.js';
import { isoTimestamp, makeUser } from './fixtures.ts';
import type { RecordedFile } from './http.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

/** MessageFlags.Loading: a deferred reply's "is thinking…" message. */
export const LOADING_FLAG = 1 << 7;

export interface StoredMessage {
  message: APIMessage;
  deleted: boolean;
}

/** What a message created for an interaction says about it (`interaction_metadata`). */
export interface InteractionLink {
  id: string;
  type: number;
  name: string;
  user: APIUser;
  guildId: string;
  originalMessageId: string | null;
  componentMessageId: string | null;
  targetMessageId: string | null;
}

export type MessageChange = 'create' | 'update' | 'delete';

export interface MessageStoreDeps {
  ids: SnowflakeGenerator;
  now: () => number;
  applicationId: string;
  /** Known users, to resolve mentions. */
  users: Map<string, APIUser>;
  /** Called after every change (to dispatch MESSAGE_CREATE/UPDATE/DELETE). */
  onChange: (change: MessageChange, message: APIMessage) => void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

function embedsOf(body: Record<string, unknown>): APIEmbed[] {
  if (!Array.isArray(body['embeds'])) return [];
  return (body['embeds'] as APIEmbed[]).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
}

/**
 * Every message and pin the emulator knows, kept as full Discord message objects. Bodies are
 * taken as validated by the caller; this class only turns them into messages the way Discord does.
 */
export class MessageStore {
  readonly #messages = new Map<string, StoredMessage>();
  readonly #pins = new Map<string, { messageId: string; pinnedAt: string }[]>();
  readonly #deps: MessageStoreDeps;

  constructor(deps: MessageStoreDeps) {
    this.#deps = deps;
  }

  /** The stored entry, deleted or not. */
  entry(id: string): StoredMessage | undefined {
    return this.#messages.get(id);
  }

  /** A live (not deleted) message. */
  get(id: string): APIMessage | undefined {
    const stored = this.#messages.get(id);
    return stored && !stored.deleted ? stored.message : undefined;
  }

  /** A message as the channel routes see it: live, in that channel, not ephemeral. */
  inChannel(channelId: string, id: string): StoredMessage | undefined {
    const stored = this.#messages.get(id);
    if (!stored || stored.deleted || stored.message.channel_id !== channelId || isEphemeral(stored.message)) return undefined;
    return stored;
  }

  /** The channel's live messages, oldest first (ephemeral ones excluded, as in the channel). */
  channelMessages(channelId: string): APIMessage[] {
    return [...this.#messages.values()]
      .filter((stored) => !stored.deleted && stored.message.channel_id === channelId && !isEphemeral(stored.message))
      .map((stored) => stored.message);
  }

  create(input: {
    channelId: string;
    author: APIUser;
    body: Record<string, unknown>;
    files: RecordedFile[];
    type: MessageType;
    interaction?: InteractionLink;
  }): APIMessage {
    const { ids, now, applicationId } = this.#deps;
    const id = ids.next();
    const content = typeof input.body['content'] === 'string' ? input.body['content'] : '';
    const mentions = this.#mentions(content, input.body['allowed_mentions']);
    const link = input.interaction;
    const message: APIMessage = {
      id,
      channel_id: input.channelId,
      author: input.author,
      content,
      timestamp: isoTimestamp(now()),
      edited_timestamp: null,
      tts: input.body['tts'] === true,
      mention_everyone: mentions.everyone,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      attachments: this.#attachments(input.channelId, input.body, input.files, []),
      embeds: embedsOf(input.body),
      reactions: [],
      pinned: false,
      type: input.type,
      flags: typeof input.body['flags'] === 'number' ? input.body['flags'] : 0,
      components: Array.isArray(input.body['components']) ? (input.body['components'] as APIMessage['components']) : [],
      ...(link
        ? {
            webhook_id: applicationId,
            application_id: applicationId,
            interaction_metadata: {
              id: link.id,
              type: link.type,
              user: link.user,
              authorizing_integration_owners: { '0': link.guildId },
              ...(link.originalMessageId ? { original_response_message_id: link.originalMessageId } : {}),
              ...(link.componentMessageId ? { interacted_message_id: link.componentMessageId } : {}),
              ...(link.targetMessageId ? { target_message_id: link.targetMessageId } : {}),
            } as APIMessage['interaction_metadata'],
            // The deprecated `interaction` field, still sent by Discord.
            interaction: { id: link.id, type: link.type, name: link.name, user: link.user } as APIMessage['interaction'],
          }
        : {}),
    };
    this.#messages.set(id, { message, deleted: false });
    this.#deps.onChange('create', message);
    return message;
  }

  /** Applies an edit body (content, embeds, components, attachments, flags) to a message. */
  edit(stored: StoredMessage, body: Record<string, unknown>, files: RecordedFile[], options: { markEdited?: boolean } = {}): void {
    const message = stored.message;
    if (typeof body['content'] === 'string' || body['content'] === null) {
      message.content = body['content'] ?? '';
      const mentions = this.#mentions(message.content, body['allowed_mentions']);
      message.mention_everyone = mentions.everyone;
      message.mentions = mentions.users;
      message.mention_roles = mentions.roles;
    }
    if ('embeds' in body) message.embeds = embedsOf(body);
    if (Array.isArray(body['components'])) message.components = body['components'] as APIMessage['components'];
    if ('attachments' in body || files.length > 0) {
      message.attachments = this.#attachments(message.channel_id, body, files, message.attachments);
    }
    // Editing a deferred reply ends its loading state; otherwise only SUPPRESS_EMBEDS (and the
    // components-v2 switch) may change.
    let flags = (message.flags ?? 0) & ~LOADING_FLAG;
    if (typeof body['flags'] === 'number') {
      const editable = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
      flags = (flags & ~MessageFlags.SuppressEmbeds) | (body['flags'] & editable);
    }
    message.flags = flags;
    if (options.markEdited !== false) message.edited_timestamp = isoTimestamp(this.#deps.now());
    this.#deps.onChange('update', message);
  }

  delete(stored: StoredMessage): void {
    stored.deleted = true;
    const channelId = stored.message.channel_id;
    const pins = this.#pins.get(channelId);
    if (pins) this.#pins.set(channelId, pins.filter((pin) => pin.messageId !== stored.message.id));
    this.#deps.onChange('delete', stored.message);
  }

  /** Pinned messages of a channel, most recently pinned first (Discord's order). */
  pinned(channelId: string): { pinnedAt: string; message: APIMessage }[] {
    return (this.#pins.get(channelId) ?? [])
      .map((pin) => ({ pinnedAt: pin.pinnedAt, message: this.get(pin.messageId) }))
      .filter((pin): pin is { pinnedAt: string; message: APIMessage } => pin.message !== undefined)
      .reverse();
  }

  /** Pins a message; 'full' when the channel already has `maxPins`. Pinning twice is a no-op. */
  pin(stored: StoredMessage, maxPins: number): { pinnedAt: string } | 'already' | 'full' {
    const channelId = stored.message.channel_id;
    const pins = this.#pins.get(channelId) ?? [];
    this.#pins.set(channelId, pins);
    if (stored.message.pinned) return 'already';
    if (pins.length >= maxPins) return 'full';
    const pinnedAt = isoTimestamp(this.#deps.now());
    pins.push({ messageId: stored.message.id, pinnedAt });
    stored.message.pinned = true;
    return { pinnedAt };
  }

  /** Unpins a message; returns the channel's new last pin time, or 'not-pinned'. */
  unpin(stored: StoredMessage): { lastPinTimestamp: string | null } | 'not-pinned' {
    if (!stored.message.pinned) return 'not-pinned';
    const channelId = stored.message.channel_id;
    const pins = (this.#pins.get(channelId) ?? []).filter((pin) => pin.messageId !== stored.message.id);
    this.#pins.set(channelId, pins);
    stored.message.pinned = false;
    return { lastPinTimestamp: pins.at(-1)?.pinnedAt ?? null };
  }

  #attachments(channelId: string, body: Record<string, unknown>, files: RecordedFile[], existing: APIAttachment[]): APIAttachment[] {
    const described = Array.isArray(body['attachments']) ? (body['attachments'] as Record<string, unknown>[]) : null;
    // Existing attachments survive an edit only if listed by id (all survive if the list is absent).
    const kept =
      described === null ? existing : existing.filter((attachment) => described.some((entry) => String(entry['id']) === attachment.id));
    const added = files.map((file, index): APIAttachment => {
      const slot = /^files\[(\d+)\]$/.exec(file.field)?.[1] ?? String(index);
      const entry = described?.find((candidate) => String(candidate['id']) === slot);
      const id = this.#deps.ids.next();
      const filename = typeof entry?.['filename'] === 'string' ? entry['filename'] : file.filename;
      const path = `${channelId}/${id}/${encodeURIComponent(filename)}`;
      return {
        id,
        filename,
        size: file.size,
        // Never fetched: tests have no network.
        url: `https://cdn.discordapp.com/attachments/${path}`,
        proxy_url: `https://media.discordapp.net/attachments/${path}`,
        ...(file.contentType ? { content_type: file.contentType } : {}),
        ...(typeof entry?.['description'] === 'string' ? { description: entry['description'] } : {}),
      };
    });
    return [...kept, ...added];
  }

  /** Mentions as Discord resolves them: with `allowed_mentions` absent every kind is parsed. */
  #mentions(content: string, allowedMentions: unknown): { everyone: boolean; users: APIUser[]; roles: string[] } {
    const allowed = isRecord(allowedMentions) ? allowedMentions : null;
    const listed = (key: string): string[] => (allowed !== null && Array.isArray(allowed[key]) ? (allowed[key] as string[]) : []);
    const parse = allowed === null ? ['users', 'roles', 'everyone'] : listed('parse');
    const userIds = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1] ?? '');
    const roleIds = [...content.matchAll(/<@&(\d{17,20})>/g)].map((match) => match[1] ?? '');
    return {
      everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone'),
      users: [...new Set(userIds)]
        .filter((id) => parse.includes('users') || listed('users').includes(id))
        .map((id) => this.#deps.users.get(id) ?? makeUser(id, `user${id.slice(-4)}`)),
      roles: [...new Set(roleIds)].filter((id) => parse.includes('roles') || listed('roles').includes(id)),
    };
  }
}
