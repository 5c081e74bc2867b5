import { ApplicationCommandOptionType, PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import type { ChannelActions } from '../src/discord/channelActions.ts';
import { defineChatInputCommand, type Invocation } from '../src/discord/command.ts';
import { discordErrorCode } from '../src/discord/discordErrors.ts';
import { DiscordErrorCodes } from '../src/discord/limits.ts';
import { toMessagePayload } from '../src/discord/render.ts';
import { UserError } from '../src/discord/reply.ts';
import { MAX_TOPIC_LENGTH } from '../src/summary/summarize.ts';
import { buildSummary, summaryEmbed, summaryFooter } from './summaryEmbed.ts';

/** What the bot itself needs in the channel to post and pin a summary. */
export const BOT_PERMISSIONS_FOR_PINNING = {
  'View Channel': PermissionFlagsBits.ViewChannel,
  'Send Messages': PermissionFlagsBits.SendMessages,
  'Embed Links': PermissionFlagsBits.EmbedLinks,
  'Read Message History': PermissionFlagsBits.ReadMessageHistory,
  'Pin Messages': PermissionFlagsBits.PinMessages,
} as const;

export const pinSummaryCommand = defineChatInputCommand({
  definition: {
    name: 'pin-summary',
    description: 'Moderators: post the cited summary and pin it (updates the same pin when run again).',
    options: [{ name: 'topic', description: 'Summarize only this topic, e.g. "peacekeepers"', type: ApplicationCommandOptionType.String, max_length: MAX_TOPIC_LENGTH }],
    // Hides the command from members who cannot pin; server admins can override this, so the
    // handler checks again.
    default_member_permissions: String(PermissionFlagsBits.PinMessages),
    contexts: [0],
  },
  postsPublicly: true,
  // Reading pins, posting and pinning are three REST calls: acknowledge first.
  defer: { ephemeral: true },
  async execute(context, args) {
    const { invocation, channel } = context;
    if (!channel || !invocation.channelId || !invocation.guildId) {
      throw new UserError('Pinning works in a server channel, not here.');
    }
    checkPermissions(invocation);
    const summary = buildSummary(context.kb, args.topic);
    const payload = toMessagePayload({ embeds: [summaryEmbed(summary, context.now())] });
    const outcome = await pinOrUpdate(channel, invocation.channelId, summaryFooter(summary.topic), payload);
    const what = summary.topic ? `summary on “${summary.topic}”` : 'summary';
    return {
      kind: 'reply',
      reply: {
        ephemeral: true,
        content: outcome === 'updated' ? `✅ Updated the pinned ${what} in this channel.` : `✅ Posted and pinned the ${what}.`,
      },
    };
  },
});

/** Names the permissions that are missing, the member's and the bot's, in one message. */
export function checkPermissions(invocation: Invocation): void {
  const member = invocation.memberPermissions ?? 0n;
  if (!has(member, PermissionFlagsBits.PinMessages)) {
    throw new UserError('You need the Pin Messages permission in this channel to pin a summary.');
  }
  const bot = invocation.appPermissions ?? 0n;
  const missing = Object.entries(BOT_PERMISSIONS_FOR_PINNING)
    .filter(([, flag]) => !has(bot, flag))
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new UserError(`I'm missing ${missing.length === 1 ? 'a permission' : 'permissions'} in this channel: ${missing.join(', ')}. Ask an admin to grant ${missing.length === 1 ? 'it' : 'them'} to my role.`);
  }
}

function has(permissions: bigint, flag: bigint): boolean {
  return (permissions & PermissionFlagsBits.Administrator) !== 0n || (permissions & flag) === flag;
}

/**
 * Edits this bot's pinned summary on the same topic when there is one; otherwise posts a new
 * summary and pins it. A pin that fails removes the message it posted, so nothing piles up.
 */
export async function pinOrUpdate(
  channel: ChannelActions,
  channelId: string,
  footer: string,
  payload: ReturnType<typeof toMessagePayload>,
): Promise<'updated' | 'pinned'> {
  return withDiscordErrors(async () => {
    const pinned = await channel.pinnedMessages(channelId);
    const existing = pinned.find((m) => isOwnSummary(m, channel.botUserId, footer));
    if (existing) {
      await channel.edit(channelId, existing.id, payload);
      return 'updated';
    }
    const message = await channel.send(channelId, payload);
    try {
      await channel.pin(channelId, message.id, 'summit-bot: /pin-summary');
    } catch (error) {
      await channel.delete(channelId, message.id).catch(() => undefined);
      throw error;
    }
    return 'pinned';
  });
}

export function isOwnSummary(message: APIMessage, botUserId: string, footer: string): boolean {
  return message.author.id === botUserId && message.embeds.some((e) => e.footer?.text === footer);
}

async function withDiscordErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = discordErrorCode(error);
    if (code !== undefined) {
      if (code === DiscordErrorCodes.maxPinsReached) {
        throw new UserError('This channel has reached Discord\'s limit of 250 pinned messages. Unpin an old one, then run /pin-summary again.');
      }
      if (code === DiscordErrorCodes.missingPermissions || code === DiscordErrorCodes.missingAccess) {
        throw new UserError('Discord refused: I lack a permission in this channel (View Channel, Send Messages, Embed Links, Read Message History and Pin Messages are needed).');
      }
    }
    throw error;
  }
}
