import type { APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { decodePageState, encodePageState, EVENTS_PER_PAGE, PAGE_BUTTONS_LIFETIME_MS } from '../commands/timeline.ts';
import { SUMMARY_FOOTER_PREFIX } from '../commands/summaryEmbed.ts';
import { defineChatInputCommand } from '../src/discord/command.ts';
import { APOLOGY } from '../src/discord/dispatcher.ts';
import { DiscordErrorCodes } from '../src/discord/limits.ts';
import { FakeChannel } from './support/fakeChannel.ts';
import { MEMBER_ID, OTHER_MEMBER_ID, testBot } from './support/bot.ts';
import { COMMANDS } from '../commands/index.ts';

const PEACEKEEPERS = 'How many peacekeepers did Russia deploy?';
const EPHEMERAL = 64;

function embedOf(sent: { payload?: { embeds?: APIEmbed[] } }): APIEmbed {
  const embed = sent.payload?.embeds?.[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(sent)}`);
  return embed;
}

function customIds(sent: { payload?: { components?: unknown[] } }): string[] {
  return JSON.stringify(sent.payload?.components ?? [])
    .match(/"custom_id":"[^"]*"/g)
    ?.map((m) => m.slice('"custom_id":"'.length, -1)) ?? [];
}

describe('/ask', () => {
  it('quotes the answering passage with bold matches, its citation and a Full passage button', async () => {
    const bot = await testBot();
    const { last } = await bot.command('ask', { question: PEACEKEEPERS });
    const embed = embedOf(last);
    expect(embed.description).toContain('2,000');
    expect(embed.description).toMatch(/\*\*peacekeepers\*\*/);
    expect(embed.description).toContain('¶27');
    expect(embed.description).toContain('31 Oct 2022');
    expect(last.payload?.flags).toBeUndefined();
    expect(last.payload?.allowed_mentions).toEqual({ parse: [] });
    expect(customIds(last)).toEqual(['ask:full:sochi-summit-2022-10-31#27']);
  });

  it('says plainly when the article does not cover the question, offering the closest passages', async () => {
    const bot = await testBot();
    const { last } = await bot.command('ask', { question: 'What is the capital of France?' });
    expect(last.payload?.content).toMatch(/^🤷 The article does not cover that/);
    expect(last.payload?.embeds).toBeUndefined();
  });

  it('hides the answer when asked and offers to share it, attributed to the asker', async () => {
    const bot = await testBot();
    const hidden = (await bot.command('ask', { question: PEACEKEEPERS, hide: true })).last;
    expect(hidden.payload?.flags).toBe(EPHEMERAL);
    expect(customIds(hidden)).toContain('ask:share');

    const message = { id: '1', content: '', embeds: hidden.payload?.embeds ?? [], components: hidden.payload?.components as never };
    const shared = (await bot.click('ask:share', message)).last;
    expect(shared.payload?.flags).toBeUndefined();
    expect(shared.payload?.content).toBe(`Shared by <@${MEMBER_ID}>`);
    expect(shared.payload?.allowed_mentions).toEqual({ parse: [] });
    expect(embedOf(shared).description).toBe(embedOf(hidden).description);
    expect(customIds(shared)).toEqual(['ask:full:sochi-summit-2022-10-31#27']);
  });

  it('pings only the member named in mention', async () => {
    const bot = await testBot();
    const { last } = await bot.command('ask', { question: PEACEKEEPERS, mention: OTHER_MEMBER_ID });
    expect(last.payload?.content).toBe(`<@${OTHER_MEMBER_ID}>`);
    expect(last.payload?.allowed_mentions).toEqual({ parse: [], users: [OTHER_MEMBER_ID] });
  });

  it('shows the whole paragraph behind Full passage, privately', async () => {
    const bot = await testBot();
    const { last } = await bot.click('ask:full:sochi-summit-2022-10-31#27');
    expect(last.payload?.flags).toBe(EPHEMERAL);
    expect(embedOf(last).description).toContain('The 2020 cease-fire agreement saw Russia deploy a force of 2,000 peacekeepers');
    expect(embedOf(last).description).toContain('Section “Russian peacekeepers”');
  });

  it('refuses an over-long question with a clear ❌', async () => {
    const bot = await testBot();
    const { last } = await bot.command('ask', { question: 'x'.repeat(301) });
    expect(last.payload?.content).toMatch(/^❌ .*at most 300 characters/);
    expect(last.payload?.flags).toBe(EPHEMERAL);
  });

  it('asks a member to wait between public posts, but not for hidden answers', async () => {
    const bot = await testBot({ cooldownSeconds: 10 });
    await bot.command('ask', { question: PEACEKEEPERS });
    const again = (await bot.command('ask', { question: PEACEKEEPERS })).last;
    expect(again.payload?.content).toMatch(/^❌ Please wait 10 s/);
    const hidden = (await bot.command('ask', { question: PEACEKEEPERS, hide: true })).last;
    expect(hidden.payload?.embeds).toHaveLength(1);
    bot.setNow(Date.UTC(2026, 0, 1) + 10_000);
    expect((await bot.command('ask', { question: PEACEKEEPERS })).last.payload?.embeds).toHaveLength(1);
  });
});

describe('/quote', () => {
  it('offers the lead paragraphs before anything is typed, within Discord limits', async () => {
    const bot = await testBot();
    const { last } = await bot.autocomplete('quote', 'passage', '');
    expect(last.choices?.length).toBe(25);
    expect(last.choices?.[0]?.value).toBe('sochi-summit-2022-10-31#1');
    for (const choice of last.choices ?? []) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(String(choice.value).length).toBeLessThanOrEqual(100);
    }
  });

  it('searches passages as the member types, and takes a paragraph number', async () => {
    const bot = await testBot();
    const geneva = (await bot.autocomplete('quote', 'passage', 'Geneva foreign ministers')).last;
    expect(geneva.choices?.[0]?.value).toBe('sochi-summit-2022-10-31#23');
    expect(geneva.choices?.[0]?.name).toMatch(/^¶23 · Following a slew/);
    const numbered = (await bot.autocomplete('quote', 'passage', '¶27')).last;
    expect(numbered.choices?.[0]?.value).toBe('sochi-summit-2022-10-31#27');
  });

  it('posts the chosen passage publicly as a block quote with citation, or the best match for typed words', async () => {
    const bot = await testBot();
    const chosen = (await bot.command('quote', { passage: 'sochi-summit-2022-10-31#23' })).last;
    expect(chosen.payload?.flags).toBeUndefined();
    expect(embedOf(chosen).description).toMatch(/^>>> Following a slew of diplomatic efforts/);
    expect(embedOf(chosen).description).toContain('— ¶23 · _Azerbaijan, Armenia, Russia ink document to commit to normalization_ · 31 Oct 2022');
    const typed = (await bot.command('quote', { passage: 'Zangilan airport' })).last;
    expect(embedOf(typed).description).toContain('¶31');
  });

  it('keeps the photo caption and its credit in their role', async () => {
    const bot = await testBot();
    const { last } = await bot.command('quote', { passage: '1' });
    expect(embedOf(last).description).toMatch(/^\*Photo caption\*/);
    expect(embedOf(last).description).toContain('>>> (L-R) Azerbaijani President Ilham Aliyev');
    expect(embedOf(last).description).toContain('(EPA via Sputnik/Kremlin Pool Photo)');
  });

  it('explains a paragraph that does not exist', async () => {
    const bot = await testBot();
    const { last } = await bot.command('quote', { passage: '¶99' });
    expect(last.payload?.content).toBe('❌ No passage ¶99: the article has ¶1–¶33.');
  });
});

describe('/timeline', () => {
  it('lists events in date order with citations and attaches the picture', async () => {
    const bot = await testBot();
    const { last } = await bot.command('timeline', {});
    const embed = embedOf(last);
    expect(embed.description?.split('\n')[0]).toMatch(/^\*\*1991\*\* — .*\(¶9\)$/);
    expect(embed.footer?.text).toMatch(/^13 events · page 1 of 2/);
    const [picture] = last.files ?? [];
    expect(picture?.name).toBe('timeline.png');
    expect(picture?.data.subarray(1, 4).toString()).toBe('PNG');
  });

  it('filters by dates and words', async () => {
    const bot = await testBot();
    const september = embedOf((await bot.command('timeline', { from: '2022-09', to: '2022-09' })).last);
    expect(september.description).toContain('(¶8)');
    expect(september.description).toContain('(¶19)');
    expect(september.description).not.toContain('(¶23)');
    const geneva = embedOf((await bot.command('timeline', { about: 'Geneva' })).last);
    expect(geneva.description?.split('\n')).toHaveLength(1);
    expect(geneva.description).toContain('**3 Oct 2022**');
  });

  it('turns pages for the invoker only, until the buttons expire', async () => {
    const bot = await testBot();
    const first = (await bot.command('timeline', {})).last;
    const next = customIds(first).find((id) => decodePageState(id)?.page === 1);
    expect(next).toBeDefined();
    const page2 = (await bot.click(next as string)).last;
    expect(page2.kind).toBe('update');
    expect(embedOf(page2).footer?.text).toMatch(/page 2 of 2/);
    expect(embedOf(page2).description?.split('\n').length).toBe(13 - EVENTS_PER_PAGE);

    const stranger = (await bot.click(next as string, undefined, { user: { id: OTHER_MEMBER_ID, username: 'other' } })).last;
    expect(stranger.kind).toBe('reply');
    expect(stranger.payload?.content).toMatch(/^❌ Only the member who ran this \/timeline/);

    bot.setNow(Date.UTC(2026, 0, 1) + PAGE_BUTTONS_LIFETIME_MS + 1000);
    expect((await bot.click(next as string)).last.payload?.content).toMatch(/^❌ These page buttons have expired/);
  });

  it('carries its state in a custom id within Discord’s 100 characters', () => {
    const state = { page: 3, userId: '12345678901234567890', issuedAt: 1_700_000_000_000, query: { from: '2022-09-01', to: '2022-10-31', query: 'x'.repeat(40) } };
    const id = encodePageState(state);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodePageState(id)).toEqual(state);
  });

  it('names the expected form of a malformed date, and refuses from after to', async () => {
    const bot = await testBot();
    expect((await bot.command('timeline', { from: '2022-13' })).last.payload?.content).toMatch(/^❌ .*YYYY, YYYY-MM or YYYY-MM-DD/);
    expect((await bot.command('timeline', { from: '2022-10', to: '2021' })).last.payload?.content).toMatch(/^❌ from "2022-10" is after to "2021"/);
    expect((await bot.command('timeline', { from: '1800', to: '1900' })).last.payload?.content).toMatch(/^❌ No dated events/);
  });
});

describe('/summary', () => {
  it('sends a cited summary that fits one embed', async () => {
    const bot = await testBot();
    const embed = embedOf((await bot.command('summary', {})).last);
    const bullets = embed.description?.split('\n') ?? [];
    expect(bullets.length).toBeGreaterThanOrEqual(3);
    expect(bullets.length).toBeLessThanOrEqual(6);
    for (const bullet of bullets) expect(bullet).toMatch(/^• .+ \(¶\d+\)$/);
    expect(embed.description?.length).toBeLessThanOrEqual(4096);
    expect(embed.footer?.text).toBe(`${SUMMARY_FOOTER_PREFIX} · the whole story`);
  });

  it('summarizes one topic, or says the article says little about it', async () => {
    const bot = await testBot();
    const peacekeepers = embedOf((await bot.command('summary', { topic: 'peacekeepers' })).last);
    expect(peacekeepers.description).toContain('2,000 peacekeepers');
    const cricket = (await bot.command('summary', { topic: 'cricket' })).last;
    expect(cricket.payload?.content).toMatch(/^❌ The article says little about/);
  });
});

describe('/pin-summary', () => {
  it('refuses a member who cannot pin in the channel, whatever the command settings say', async () => {
    const bot = await testBot({ channel: new FakeChannel() });
    const { last } = await bot.command('pin-summary', {}, { memberPermissions: 0n });
    expect(last.payload?.content).toBe('❌ You need the Pin Messages permission in this channel to pin a summary.');
  });

  it('names every permission the bot lacks', async () => {
    const channel = new FakeChannel();
    const bot = await testBot({ channel });
    const { last } = await bot.command('pin-summary', {}, { appPermissions: (1n << 10n) | (1n << 11n) });
    expect(last.payload?.content).toBe(
      "❌ I'm missing permissions in this channel: Embed Links, Read Message History, Pin Messages. Ask an admin to grant them to my role.",
    );
    expect(channel.calls).toEqual([]);
  });

  it('pins a new summary, then edits that same message on the next run', async () => {
    const channel = new FakeChannel();
    channel.seedPinned('999999999999999999', `${SUMMARY_FOOTER_PREFIX} · the whole story`); // someone else's look-alike
    const bot = await testBot({ channel });
    const first = await bot.command('pin-summary', {});
    expect(first.sent[0]).toEqual({ kind: 'defer', ephemeral: true });
    expect(first.last.payload?.content).toBe('✅ Posted and pinned the summary.');
    expect(channel.pins).toHaveLength(2);

    const second = await bot.command('pin-summary', {});
    expect(second.last.payload?.content).toBe('✅ Updated the pinned summary in this channel.');
    expect(channel.pins).toHaveLength(2);
    expect(channel.calls.filter((c) => c.startsWith('edit'))).toHaveLength(1);

    const topical = await bot.command('pin-summary', { topic: 'peacekeepers' });
    expect(topical.last.payload?.content).toBe('✅ Posted and pinned the summary on “peacekeepers”.');
    expect(channel.pins).toHaveLength(3);
  });

  it('explains the channel pin limit and removes the unpinned post', async () => {
    const channel = new FakeChannel();
    channel.failNext('pin', DiscordErrorCodes.maxPinsReached, 400);
    const bot = await testBot({ channel });
    const { last } = await bot.command('pin-summary', {});
    expect(last.kind).toBe('reply'); // fills the deferred "thinking…" message
    expect(last.payload?.content).toMatch(/^❌ This channel has reached Discord's limit of 250 pinned messages/);
    expect(channel.messages.size).toBe(0);
  });

  it('explains a permission Discord refused', async () => {
    const channel = new FakeChannel();
    channel.failNext('send', DiscordErrorCodes.missingPermissions, 403);
    const bot = await testBot({ channel });
    expect((await bot.command('pin-summary', {})).last.payload?.content).toMatch(/^❌ Discord refused: I lack a permission/);
  });

  it('is hidden from members without Pin Messages by default', () => {
    const definition = COMMANDS.find((c) => c.definition.name === 'pin-summary')?.definition as { default_member_permissions?: string };
    expect(definition.default_member_permissions).toBe(String(1n << 51n));
  });
});

describe('Find in article', () => {
  it('replies privately with the passages that support a message', async () => {
    const bot = await testBot();
    const { last } = await bot.messageCommand('Find in article', { id: '1', content: 'Russia sent 2,000 peacekeepers to the region', embeds: [] });
    expect(last.payload?.flags).toBe(EPHEMERAL);
    expect(embedOf(last).description).toContain('¶27');
  });

  it('says when the article has nothing on it', async () => {
    const bot = await testBot();
    const { last } = await bot.messageCommand('Find in article', { id: '1', content: 'The best pizza in Naples is margherita', embeds: [] });
    expect(last.payload?.content).toMatch(/^The article has nothing on that message/);
  });
});

describe('/about', () => {
  it('lists the article, the passage count and how to use each command', async () => {
    const bot = await testBot();
    const embed = embedOf((await bot.command('about', {})).last);
    expect(embed.description).toContain('33 passages');
    expect(embed.description).toContain('Azerbaijan, Armenia, Russia ink document to commit to normalization');
    expect(embed.fields?.map((f) => f.name.split(' ')[0])).toEqual(['/ask', '/quote', '/timeline', '/summary', '/pin-summary', 'Find']);
  });
});

describe('the error boundary', () => {
  const broken = defineChatInputCommand({
    definition: { name: 'broken', description: 'always fails' },
    async execute() {
      throw new Error('boom');
    },
  });

  it('logs an unexpected failure with interaction, command and user, and apologises', async () => {
    const bot = await testBot({ commands: [broken] });
    const { last } = await bot.command('broken', {});
    expect(last.payload?.content).toBe(APOLOGY);
    expect(last.payload?.flags).toBe(EPHEMERAL);
    const logged = bot.logs.find((l) => l['msg'] === 'interaction failed');
    expect(logged).toMatchObject({ interaction: '500000000000000001', command: '/broken', user: MEMBER_ID });
  });

  it('fills the deferred message when a deferred command fails', async () => {
    const deferred = defineChatInputCommand({
      definition: { name: 'slow', description: 'defers then fails' },
      defer: { ephemeral: false },
      async execute() {
        throw new Error('late boom');
      },
    });
    const bot = await testBot({ commands: [deferred] });
    const responder = await bot.command('slow', {});
    expect(responder.sent.map((s) => s.kind)).toEqual(['defer', 'reply']);
    expect(responder.last.payload?.content).toBe(APOLOGY);
  });

  it('survives an interaction that can no longer be answered', async () => {
    const bot = await testBot({ commands: [broken] });
    await expect(
      bot.dispatcher.handle(
        { type: 'command', name: 'broken', options: [], invocation: { id: '1', user: { id: '2', username: 'x' } } },
        Object.assign(new (await import('./support/recordingResponder.ts')).RecordingResponder(), { failReplies: true }),
      ),
    ).resolves.toBeUndefined();
    expect(bot.logs.some((l) => l['msg'] === 'could not send the error reply')).toBe(true);
  });

  it('answers an unknown command and a dead button with a clear ❌', async () => {
    const bot = await testBot();
    expect((await bot.command('nope', {})).last.payload?.content).toMatch(/^❌ I don't know the command \/nope/);
    expect((await bot.click('stale:button')).last.payload?.content).toMatch(/^❌ That button no longer works/);
  });
});

describe('an interaction that can no longer be answered', () => {
  it('is logged as expired, without an apology that would fail the same way', async () => {
    const { DiscordAPIError } = await import('@discordjs/rest');
    const { RecordingResponder } = await import('./support/recordingResponder.ts');
    const expired = new DiscordAPIError({ code: 10062, message: 'Unknown interaction' }, 10062, 404, 'POST', '/interactions/1/x/callback', { body: undefined });
    const bot = await testBot({
      commands: [
        defineChatInputCommand({
          definition: { name: 'late', description: 'answers too late' },
          async execute() {
            throw expired;
          },
        }),
      ],
    });
    const responder = new RecordingResponder();
    await bot.dispatcher.handle({ type: 'command', name: 'late', options: [], invocation: { id: '7', user: { id: '8', username: 'x' } } }, responder);
    expect(responder.sent).toEqual([]);
    expect(bot.logs.find((l) => l['msg'] === 'interaction expired before it was answered')).toMatchObject({ level: 40, interaction: '7' });
    expect(bot.logs.some((l) => l['msg'] === 'interaction failed')).toBe(false);
  });
});
