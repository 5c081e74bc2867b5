import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../src/corpus/parseArticle.ts';
import { parseGlossary } from '../src/corpus/glossary.ts';
import { toMessagePayload } from '../src/discord/render.ts';
import type { Reply } from '../src/discord/reply.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { choiceProblems, messageProblems } from './e2e/replyLimits.ts';
import { testBotFor } from './support/bot.ts';

/** Text as a hostile or unlucky corpus could hold it: long, Markdown-laden, mentions, emoji, odd Unicode. */
const nastyWord = fc.oneof(
  fc.constantFrom('@everyone', '@here', '**bold**', '__u__', '`code`', '> quote', '|| spoiler ||', '<@123456789012345678>', '🇦🇿', '👩‍👩‍👧', 'e\u0301', '\u200b', 'Oct.', 'U.S.', '¶'),
  fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
  fc.stringMatching(/^[A-Za-z]{1,14}$/),
);
const longText = (maxWords: number) => fc.array(nastyWord, { minLength: 1, maxLength: maxWords }).map((words) => words.join(' '));

describe('replies built from long random text stay within every Discord limit', () => {
  it('holds for any reply handed to the rendering module', () => {
    const embed = fc.record(
      {
        title: longText(200),
        description: longText(2000),
        footer: fc.record({ text: longText(800) }),
        fields: fc.array(fc.record({ name: longText(120), value: longText(600) }), { maxLength: 40 }),
      },
      { requiredKeys: [] },
    );
    const reply = fc.record(
      {
        content: longText(1500),
        embeds: fc.array(embed, { maxLength: 14 }),
        ephemeral: fc.boolean(),
        mentionUsers: fc.array(fc.stringMatching(/^\d{17,19}$/), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(reply, (r) => {
        expect(messageProblems(toMessagePayload(r as Reply) as unknown as Record<string, unknown>)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('holds for every command run over an article of random long paragraphs', async () => {
    const glossary = parseGlossary('aliases: []\nsynonyms: []\n', 'glossary.yaml');
    const article = fc.array(longText(400), { minLength: 1, maxLength: 6 });
    let embedsChecked = 0;
    await fc.assert(
      fc.asyncProperty(article, longText(60), async (paragraphs, words) => {
        const document = buildDocument(
          { id: 'random-article', title: paragraphs[0]?.slice(0, 300).trim() || 'Untitled', published: '2022-10-31' },
          paragraphs.map((text, i) => ({ kind: 'body' as const, text: text.trim() || 'x', line: i + 1 })),
          'random.md',
        );
        const kb = new KnowledgeBase({ dir: 'random', documents: [document], glossary });
        const bot = await testBotFor(kb);
        const question = [...words].slice(0, 300).join('');
        const runs = [
          await bot.command('ask', { question: question.trim() || 'why' }),
          await bot.command('ask', { question: question.trim() || 'why', hide: true, mention: '300000000000000009' }),
          await bot.command('quote', { passage: '1' }),
          await bot.command('quote', { passage: question.slice(0, 100).trim() || 'x' }),
          await bot.command('summary', {}),
          await bot.command('about', {}),
          await bot.command('timeline', {}),
        ];
        for (const run of runs) {
          for (const sent of run.sent) {
            if (!sent.payload) continue;
            embedsChecked += sent.payload.embeds?.length ?? 0;
            expect(messageProblems(sent.payload as unknown as Record<string, unknown>)).toEqual([]);
          }
        }
        const choices = await bot.autocomplete('quote', 'passage', question.slice(0, 100));
        expect(choiceProblems({ choices: choices.last.choices })).toEqual([]);
      }),
      { numRuns: 25 },
    );
    // The property is only as good as what it rendered: quotes, summaries and /about are embeds.
    expect(embedsChecked).toBeGreaterThan(25 * 3);
  });
});
