/**
 * The gateway bot end to end: startGatewayBot with a real discord.js Client, over real sockets,
 * against the Discord emulator, answering from the real article. One emulator and one bot serve
 * the whole file (tests run in order and leave the channel as the next test expects); an
 * afterAll sweep checks every reply the bot sent against Discord's limits.
 */
import {
  ApplicationCommandOptionType,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type APIMessage,
} from 'discord.js';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_BUTTONS_LIFETIME_MS } from '../commands/timeline.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { discordError, DiscordErrorCode, rateLimited } from './discord-emulator/emulator.ts';
import { buttonLabels, customIds, descriptionOf, E2E_TOKEN, LogLevel, startE2E, type E2E } from './e2e/harness.ts';
import { replyProblems, sentReplies } from './e2e/replyLimits.ts';

const ARTICLE = 'sochi-summit-2022-10-31';
const PARAGRAPH_27 = `${ARTICLE}#27`;
const PEACEKEEPERS = 'How many peacekeepers did Russia deploy?';
const SENTENCE_27 = 'The 2020 cease-fire agreement saw Russia deploy a force of 2,000 peacekeepers';
const EPHEMERAL = MessageFlags.Ephemeral;

let kb: KnowledgeBase;
let e2e: E2E;

beforeAll(async () => {
  kb = await KnowledgeBase.open('corpus');
  e2e = await startE2E(kb);
});

afterEach(() => {
  // A scripted failure left unused would hit the next test instead.
  expect(e2e.emulator.pendingFailures).toBe(0);
});

afterAll(async () => {
  if (!e2e) return;
  try {
    const replies = sentReplies(e2e.emulator.requests);
    // Not a vacuous sweep: every kind of reply this file provokes is in it.
    expect(new Set(replies.map((reply) => reply.kind))).toEqual(
      new Set(['interaction callback', 'reply edit', 'channel message', 'channel message edit']),
    );
    expect(replies.length).toBeGreaterThan(30);
    expect(replies.flatMap(replyProblems)).toEqual([]);
    expect(e2e.emulator.unhandledRequests.map((request) => `${request.method} ${request.path}`)).toEqual([]);
    expect(e2e.logs.items.filter((record) => record.level >= LogLevel.fatal)).toEqual([]);
  } finally {
    await e2e.stop();
  }
});

/** Marks the request log now; the returned function lists the requests recorded since the mark. */
function since(): () => typeof e2e.emulator.requests {
  const mark = e2e.emulator.requests.length;
  return () => e2e.emulator.requests.slice(mark);
}

describe('login', () => {
  it('logs in with the configured token over the gateway, with the Guilds intent only, and is ready', () => {
    const { emulator, bot, logs } = e2e;
    expect(bot.client.isReady()).toBe(true);
    expect(bot.client.user?.id).toBe(emulator.botUser.id);
    expect(emulator.identifies).toHaveLength(1);
    expect(emulator.identifies[0]).toMatchObject({ token: E2E_TOKEN, shardId: 0, intents: GatewayIntentBits.Guilds });
    expect(emulator.requests.find((request) => request.path === '/gateway/bot')?.headers.authorization).toBe(`Bot ${E2E_TOKEN}`);
    // Pinning needs the channel in the cache: GUILD_CREATE arrived before ready.
    expect(bot.client.channels.cache.has(emulator.defaultChannel.id)).toBe(true);
    expect(logs.items.some((record) => record.level === LogLevel.info && record.msg === 'connected to Discord and ready')).toBe(true);
  });
});

describe('/ask', () => {
  it('answers with the cited passage: ¶27, "2,000", bold matches and a Full passage button', async () => {
    const { payload, type, message } = await e2e.answer(e2e.command('ask', { question: PEACEKEEPERS }));
    expect(type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const description = descriptionOf(payload);
    expect(description).toContain('2,000');
    expect(description).toContain('¶27');
    expect(description).toMatch(/\*\*peacekeepers\*\*/);
    expect(payload.flags ?? 0).toBe(0);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(customIds(payload)).toEqual([`ask:full:${PARAGRAPH_27}`]);
    expect(buttonLabels(payload)).toEqual(['Full passage']);
    // Posted in the channel for everyone, pinging nobody.
    expect(message).toMatchObject({ channel_id: e2e.emulator.defaultChannel.id, mention_everyone: false, mentions: [] });
    expect(e2e.emulator.channelMessages(e2e.emulator.defaultChannel.id).map((m) => m.id)).toContain(message?.id);
  });

  it('says plainly, in text, when the article does not cover the question', async () => {
    const { payload } = await e2e.answer(e2e.command('ask', { question: 'What is the capital of France?' }));
    expect(payload.content).toMatch(/^🤷 The article does(?:n't| not) cover that/);
    expect(payload.embeds ?? []).toEqual([]);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('hides the answer on request and offers to share it; the shared post is attributed to the asker', async () => {
    const hidden = await e2e.answer(e2e.command('ask', { question: PEACEKEEPERS, hide: true }));
    expect(hidden.payload.flags).toBe(EPHEMERAL);
    expect(buttonLabels(hidden.payload)).toEqual(['Full passage', 'Share in channel']);
    expect(customIds(hidden.payload)).toEqual([`ask:full:${PARAGRAPH_27}`, 'ask:share']);
    const hiddenMessage = hidden.message as APIMessage;
    expect(e2e.emulator.channelMessages(hiddenMessage.channel_id).map((m) => m.id)).not.toContain(hiddenMessage.id);

    const share = e2e.dispatch({ type: 'component', messageId: hiddenMessage.id, customId: 'ask:share' });
    const shared = await e2e.answer(share);
    expect(shared.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(shared.payload.flags ?? 0).toBe(0);
    expect(shared.payload.content).toBe(`Shared by <@${e2e.emulator.defaultUser.id}>`);
    // Attributed, not pinged.
    expect(shared.payload.allowed_mentions).toEqual({ parse: [] });
    expect(shared.message?.mentions).toEqual([]);
    // The very embed the asker saw privately.
    expect(shared.payload.embeds).toEqual(hiddenMessage.embeds);
    expect(descriptionOf(shared.payload)).toBe(descriptionOf(hidden.payload));
    expect(customIds(shared.payload)).toEqual([`ask:full:${PARAGRAPH_27}`]);
    expect(e2e.emulator.channelMessages(hiddenMessage.channel_id).map((m) => m.id)).toContain(shared.message?.id);
  });

  it('pings only the member named in mention', async () => {
    const reader = e2e.emulator.addUser('reader');
    const { payload, message } = await e2e.answer(e2e.command('ask', { question: PEACEKEEPERS, mention: reader }));
    expect(payload.content).toBe(`<@${reader.id}>`);
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [reader.id] });
    expect(message?.mentions.map((user) => user.id)).toEqual([reader.id]);
    expect(message?.mention_everyone).toBe(false);
    expect(message?.mention_roles).toEqual([]);
  });

  it('shows the whole paragraph, privately, behind Full passage', async () => {
    const asked = await e2e.answer(e2e.command('ask', { question: PEACEKEEPERS }));
    const messageId = asked.message?.id ?? '';
    const { type, payload } = await e2e.answer(e2e.dispatch({ type: 'component', messageId, customId: `ask:full:${PARAGRAPH_27}` }));
    expect(type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(payload.flags).toBe(EPHEMERAL);
    const description = descriptionOf(payload);
    expect(description).toContain(SENTENCE_27);
    expect(description).toContain('Section “Russian peacekeepers”');
    expect(description).toContain('— ¶27');
    // The answer it was clicked on is untouched.
    expect(e2e.emulator.message(messageId)?.edited_timestamp).toBeNull();
  });

  it('waits out a 429 on the interaction callback and then delivers the answer', async () => {
    const { emulator } = e2e;
    emulator.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, ...rateLimited(0.05) });
    const interaction = e2e.command('ask', { question: PEACEKEEPERS });
    const { payload } = await e2e.answer(interaction);
    expect(descriptionOf(payload)).toContain('¶27');
    const attempts = emulator.requests.filter((request) => request.path === interaction.callbackPath);
    expect(attempts.map((request) => request.response.status)).toEqual([429, 204]);
    expect((attempts[1]?.receivedAt ?? 0) - (attempts[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(50);
  });
});

describe('/quote', () => {
  it('suggests passages as the member types: at most 25, names within 100 characters, passage ids as values', async () => {
    const suggestions: Record<string, string[]> = {};
    for (const typed of ['', 'peace', 'peacekeepers 2,000', '27']) {
      const interaction = e2e.dispatch({
        type: 'autocomplete',
        name: 'quote',
        options: [{ name: 'passage', type: ApplicationCommandOptionType.String, value: typed, focused: true }],
      });
      const { type } = await e2e.answer(interaction);
      expect(type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
      const choices = (interaction.autocompleteChoices ?? []) as { name: string; value: string }[];
      expect(choices.length, `choices for “${typed}”`).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices) {
        expect(choice.name.length).toBeGreaterThanOrEqual(1);
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(kb.passage(choice.value), `${choice.value} is a passage id`).toBeDefined();
      }
      suggestions[typed] = choices.map((choice) => choice.value);
    }
    expect(suggestions['']?.[0]).toBe(`${ARTICLE}#1`);
    expect(suggestions['peace']?.length).toBeGreaterThan(1);
    expect(suggestions['peacekeepers 2,000']?.[0]).toBe(PARAGRAPH_27);
    expect(suggestions['27']?.[0]).toBe(PARAGRAPH_27);
  });

  it('posts the chosen passage as a block quote with its citation', async () => {
    const { payload, message } = await e2e.answer(e2e.command('quote', { passage: PARAGRAPH_27 }));
    expect(payload.flags ?? 0).toBe(0);
    const description = descriptionOf(payload);
    expect(description).toMatch(/^(\*Section “Russian peacekeepers”\*\n)?>>> /);
    expect(description).toContain(SENTENCE_27);
    expect(description).toContain('— ¶27 · _Azerbaijan, Armenia, Russia ink document to commit to normalization_ · 31 Oct 2022');
    expect(message?.mention_everyone).toBe(false);
  });

  it('searches words typed without choosing a suggestion, and quotes the best passage', async () => {
    const { payload } = await e2e.answer(e2e.command('quote', { passage: 'Geneva' }));
    expect(payload.flags ?? 0).toBe(0);
    expect(descriptionOf(payload)).toMatch(/>>> .*Geneva/s);
    expect(descriptionOf(payload)).toMatch(/— ¶\d+ · /);
  });

  it('answers nonsense with a private ❌', async () => {
    const { payload } = await e2e.answer(e2e.command('quote', { passage: 'qzxv wkjh' }));
    expect(payload.flags).toBe(EPHEMERAL);
    expect(payload.content).toMatch(/^❌ No passage matches “qzxv wkjh”/);
  });
});

describe('/timeline', () => {
  let timelineMessageId = '';
  let nextId = '';

  it('posts the events with the picture attached and page buttons', async () => {
    const { payload, request, message } = await e2e.answer(e2e.command('timeline'));
    expect(payload.flags ?? 0).toBe(0);
    expect(request.files).toEqual([expect.objectContaining({ field: 'files[0]', filename: 'timeline.png' })]);
    expect(request.files[0]?.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(payload.attachments).toEqual([expect.objectContaining({ description: 'The events on a time axis' })]);
    expect(message?.attachments.map((attachment) => attachment.filename)).toEqual(['timeline.png']);
    expect(payload.embeds?.[0]?.footer?.text).toMatch(/ · page 1 of [2-9]/);
    expect(buttonLabels(payload)).toEqual(['Previous', 'Next']);
    expect(payload.components?.[0]?.components.map((button) => button.disabled)).toEqual([true, false]);
    timelineMessageId = message?.id ?? '';
    nextId = customIds(payload)[1] ?? '';
    expect(nextId).toMatch(new RegExp(`^tl:1:${e2e.emulator.defaultUser.id}:[0-9a-z]+:::$`));
  });

  it('turns the page in place when the member who ran it clicks Next', async () => {
    const firstPage = e2e.emulator.message(timelineMessageId)?.embeds[0]?.description;
    expect(firstPage).toBeTruthy();
    const { type, payload, message } = await e2e.answer(e2e.dispatch({ type: 'component', messageId: timelineMessageId, customId: nextId }));
    expect(type).toBe(InteractionResponseType.UpdateMessage);
    expect(payload.embeds?.[0]?.footer?.text).toMatch(/ · page 2 of /);
    expect(message?.id).toBe(timelineMessageId);
    expect(message?.embeds[0]?.description).not.toBe(firstPage);
    expect(message?.embeds[0]?.footer?.text).toMatch(/ · page 2 of /);
    // The picture stays on the message.
    expect(message?.attachments.map((attachment) => attachment.filename)).toEqual(['timeline.png']);
  });

  it('refuses, privately, a click by another member, and leaves the message alone', async () => {
    const before = structuredClone(e2e.emulator.message(timelineMessageId));
    const other = e2e.emulator.addUser('passer-by');
    const { type, payload } = await e2e.answer(e2e.dispatch({ type: 'component', messageId: timelineMessageId, customId: nextId, user: other }));
    expect(type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(payload.flags).toBe(EPHEMERAL);
    expect(payload.content).toMatch(/^❌ Only the member who ran this \/timeline can turn its pages/);
    expect(e2e.emulator.message(timelineMessageId)).toEqual(before);
  });

  it('refuses expired page buttons', async () => {
    e2e.advanceBotClock(PAGE_BUTTONS_LIFETIME_MS + 1_000);
    try {
      const { payload } = await e2e.answer(e2e.dispatch({ type: 'component', messageId: timelineMessageId, customId: nextId }));
      expect(payload.flags).toBe(EPHEMERAL);
      expect(payload.content).toBe('❌ These page buttons have expired. Run /timeline again.');
    } finally {
      e2e.advanceBotClock(-(PAGE_BUTTONS_LIFETIME_MS + 1_000));
    }
  });
});

describe('/summary', () => {
  it('posts a short summary, every point cited', async () => {
    const { payload } = await e2e.answer(e2e.command('summary'));
    expect(payload.flags ?? 0).toBe(0);
    const points = descriptionOf(payload)
      .split('\n')
      .filter((line) => line.startsWith('• '));
    expect(points.length).toBeGreaterThanOrEqual(3);
    for (const point of points) expect(point).toMatch(/\(¶\d+\)$/);
    expect(payload.embeds?.[0]?.footer?.text).toBe('summit-bot summary · the whole story');
  });
});

describe('/pin-summary', () => {
  const channelId = () => e2e.emulator.defaultChannel.id;
  /** /pin-summary run by a member with the moderator role (which grants Pin Messages). */
  const pinSummary = (options: Record<string, string> = {}) => e2e.command('pin-summary', options, { memberRoleIds: e2e.moderator });
  let pinnedId = '';

  it('posts the summary and pins it, telling the moderator privately', async () => {
    const requests = since();
    const interaction = pinSummary();
    const { type, payload } = await e2e.answer(interaction);
    expect(type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect((await interaction.waitForAcknowledgement()).body).toMatchObject({ data: { flags: EPHEMERAL } });
    expect(payload.content).toBe('✅ Posted and pinned the summary.');
    expect(interaction.originalMessage()?.flags).toBe(EPHEMERAL);

    const posted = requests().filter((request) => request.method === 'POST' && request.path === `/channels/${channelId()}/messages`);
    expect(posted).toHaveLength(1);
    pinnedId = (posted[0]?.response.body as APIMessage).id;
    const pins = requests().filter((request) => request.method === 'PUT' && request.path.includes('/pins/'));
    expect(pins.map((request) => [request.path, request.response.status])).toEqual([[`/channels/${channelId()}/messages/pins/${pinnedId}`, 204]]);
    expect(pins[0]?.headers['x-audit-log-reason']).toBe(encodeURIComponent('summit-bot: /pin-summary'));
    expect(e2e.emulator.pinnedMessages(channelId()).map((message) => message.id)).toEqual([pinnedId]);
    expect(e2e.emulator.message(pinnedId)?.embeds[0]?.footer?.text).toBe('summit-bot summary · the whole story');
  });

  it('edits that same pinned message when run again, instead of pinning another', async () => {
    const requests = since();
    const { payload } = await e2e.answer(pinSummary());
    expect(payload.content).toBe('✅ Updated the pinned summary in this channel.');
    const channelCalls = requests()
      .filter((request) => request.path.startsWith('/channels/'))
      .map((request) => `${request.method} ${request.path.replace(/\?.*$/, '')}`);
    expect(channelCalls).toEqual([`GET /channels/${channelId()}/messages/pins`, `PATCH /channels/${channelId()}/messages/${pinnedId}`]);
    expect(e2e.emulator.pinnedMessages(channelId()).map((message) => message.id)).toEqual([pinnedId]);
    expect(e2e.emulator.message(pinnedId)?.edited_timestamp).not.toBeNull();
  });

  it('refuses a member without Pin Messages even when an admin let them see the command', async () => {
    const requests = since();
    // Manage Messages no longer implies Pin Messages.
    const member = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages;
    const { payload } = await e2e.answer(e2e.command('pin-summary', {}, { memberPermissions: member }));
    expect(payload.content).toBe('❌ You need the Pin Messages permission in this channel to pin a summary.');
    expect(requests().filter((request) => request.path.startsWith('/channels/'))).toEqual([]);
  });

  it.each([
    [DiscordErrorCode.MaximumPins, /^❌ This channel has reached Discord's limit of 250 pinned messages/],
    [DiscordErrorCode.MissingPermissions, /^❌ Discord refused: I lack a permission in this channel/],
  ])('explains %i on the pin to the moderator and deletes the message it posted', async (code, explanation) => {
    const requests = since();
    e2e.emulator.failNext({ method: 'PUT', path: /\/messages\/pins\//, ...discordError(code) });
    const interaction = pinSummary({ topic: 'peacekeepers' });
    const { payload } = await e2e.answer(interaction);
    expect(payload.content).toMatch(explanation);
    // The error fills the private "thinking…" message rather than leaving it spinning.
    expect(interaction.originalMessage()).toMatchObject({ flags: EPHEMERAL, content: payload.content });

    const posted = requests().find((request) => request.method === 'POST' && request.path === `/channels/${channelId()}/messages`);
    const postedId = (posted?.response.body as APIMessage).id;
    await e2e.emulator.waitForRequest((request) => request.method === 'DELETE' && request.path === `/channels/${channelId()}/messages/${postedId}`);
    expect(e2e.emulator.message(postedId)).toBeUndefined();
    expect(e2e.emulator.pinnedMessages(channelId()).map((message) => message.id)).toEqual([pinnedId]);
    expect(e2e.logs.items.filter((record) => record.level >= LogLevel.error && record.interaction === interaction.id)).toEqual([]);
  });

  it('waits out a 429 on the pin and then pins', async () => {
    const requests = since();
    e2e.emulator.failNext({ method: 'PUT', path: /\/messages\/pins\//, ...rateLimited(0.05) });
    const { payload } = await e2e.answer(pinSummary({ topic: 'peacekeepers' }));
    expect(payload.content).toBe('✅ Posted and pinned the summary on “peacekeepers”.');
    const pins = requests().filter((request) => request.method === 'PUT');
    expect(pins.map((request) => request.response.status)).toEqual([429, 204]);
    expect(e2e.emulator.pinnedMessages(channelId())).toHaveLength(2);
  });
});

describe('Find in article', () => {
  it('replies privately with the passages that support a member’s message', async () => {
    const author = e2e.emulator.addUser('claimant');
    const target = e2e.emulator.createMessage(e2e.emulator.defaultChannel.id, { content: 'Russia sent 2,000 peacekeepers to the region', author });
    const { type, payload } = await e2e.answer(e2e.dispatch({ type: 'messageContextMenu', name: 'Find in article', targetMessageId: target.id }));
    expect(type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(payload.flags).toBe(EPHEMERAL);
    expect(payload.content).toBe('Passages of the article on what that message says:');
    expect(descriptionOf(payload)).toContain('¶27');
    expect(descriptionOf(payload)).toContain('2,000');
    expect(payload.components ?? []).toEqual([]);
  });
});

describe('resilience', () => {
  it('logs an interaction acknowledged too late (10062) without crashing, and answers the next one', async () => {
    const { emulator, logs } = e2e;
    const late = e2e.command('ask', { question: PEACEKEEPERS });
    // Three seconds pass on Discord's side before the bot's answer can arrive.
    emulator.advanceClock(3_001);
    const warning = await logs.waitFor((record) => record.interaction === late.id && record.msg === 'interaction expired before it was answered', {
      timeoutMs: 5_000,
      what: 'the warning about the lost interaction',
    });
    expect(warning).toMatchObject({ level: LogLevel.warn, command: '/ask', err: { code: DiscordErrorCode.UnknownInteraction } });
    // Logged once, as a warning: an expired interaction is Discord's clock, not a bug.
    expect(logs.items.filter((record) => record.interaction === late.id && record.level >= LogLevel.warn)).toHaveLength(1);
    // No apology is attempted: it would fail with 10062 the same way.
    const attempts = emulator.requests.filter((request) => request.path === late.callbackPath);
    expect(attempts.map((request) => request.response.status)).toEqual([404]);
    expect(late.acknowledgement).toBeNull();

    const next = await e2e.answer(e2e.command('ask', { question: PEACEKEEPERS }));
    expect(descriptionOf(next.payload)).toContain('¶27');
  });

  it('resumes after the gateway closes with 4000, replays what it missed, and keeps answering', async () => {
    const { emulator, bot } = e2e;
    const connections = emulator.gatewayConnections.length;
    const resumed = once(bot.client, Events.ShardResume);
    await emulator.closeGateway(4000);
    // Dispatched while the bot is disconnected: Discord keeps it for the resumed session.
    const missed = e2e.command('ask', { question: PEACEKEEPERS });
    const resume = await emulator.waitForResume();
    await resumed;
    expect(resume).toMatchObject({ accepted: true, replayed: 1, sessionId: emulator.identifies[0]?.sessionId });
    expect(emulator.frames.some((frame) => frame.direction === 'in' && frame.op === GatewayOpcodes.Resume)).toBe(true);
    expect(emulator.gatewayConnections.slice(connections).map((connection) => connection.path)).toEqual(['/resume-gateway']);
    expect(emulator.identifies).toHaveLength(1);
    expect(descriptionOf((await e2e.answer(missed)).payload)).toContain('¶27');

    const after = await e2e.answer(e2e.command('quote', { passage: '¶27' }));
    expect(descriptionOf(after.payload)).toContain(SENTENCE_27);
    expect(after.payload.components ?? []).toEqual([]);
  });
});
