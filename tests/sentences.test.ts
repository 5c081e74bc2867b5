import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { splitSentences } from '../src/text/sentences.ts';
import type { Sentence } from '../src/corpus/types.ts';

const texts = (input: string): string[] => splitSentences(input).map((s) => s.text);

/** The contract every result must meet, whatever the input. */
function expectWellFormed(input: string, sentences: readonly Sentence[]): void {
  const trimmed = input.trim();
  if (trimmed === '') {
    expect(sentences).toEqual([]);
    return;
  }
  expect(sentences.length).toBeGreaterThan(0);
  let previousEnd = -1;
  let rebuilt = '';
  for (const s of sentences) {
    expect(s.start).toBeLessThan(s.end);
    expect(s.text).toBe(input.slice(s.start, s.end));
    expect(s.text).toBe(s.text.trim());
    expect(s.text).toMatch(/\S/);
    if (previousEnd >= 0) {
      expect(s.start).toBeGreaterThanOrEqual(previousEnd);
      const gap = input.slice(previousEnd, s.start);
      expect(gap).toMatch(/^\s*$/);
      rebuilt += gap;
    }
    rebuilt += s.text;
    previousEnd = s.end;
  }
  const first = sentences[0];
  const last = sentences[sentences.length - 1];
  expect(first?.start).toBe(input.length - input.trimStart().length);
  expect(last?.end).toBe(input.trimEnd().length);
  expect(rebuilt).toBe(trimmed);
}

describe('splitSentences: basics', () => {
  it('returns nothing for empty or whitespace-only input', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n\t \u00a0\u2003 ')).toEqual([]);
  });

  it('splits after . ! ? and … before a capital', () => {
    expect(texts('Talks began. Did they end? Not yet! Wait… Then it ended.')).toEqual([
      'Talks began.',
      'Did they end?',
      'Not yet!',
      'Wait…',
      'Then it ended.',
    ]);
  });

  it('splits before a digit or an opening quote or bracket', () => {
    expect(texts('It ended. 2022 was hard. "We agreed," he said. (That was all.)')).toEqual([
      'It ended.',
      '2022 was hard.',
      '"We agreed," he said.',
      '(That was all.)',
    ]);
  });

  it('does not split before lowercase or without whitespace', () => {
    expect(texts('It was 5 p.m. on Monday. The end.')).toEqual(['It was 5 p.m. on Monday.', 'The end.']);
    expect(texts('Stop.Go.')).toEqual(['Stop.Go.']);
    expect(texts('Wait... and see.')).toEqual(['Wait... and see.']);
  });

  it('gives offsets that exclude surrounding whitespace', () => {
    const input = '  One.   Two!\n\tThree?  ';
    expect(splitSentences(input)).toEqual([
      { text: 'One.', start: 2, end: 6 },
      { text: 'Two!', start: 9, end: 13 },
      { text: 'Three?', start: 15, end: 21 },
    ]);
  });

  it('returns unpunctuated text as one sentence', () => {
    expect(texts('no punctuation at all here')).toEqual(['no punctuation at all here']);
  });

  it('always breaks at a blank line, which no sentence spans', () => {
    expect(texts('Russian peacekeepers\n\nThe 2020 cease-fire held.')).toEqual([
      'Russian peacekeepers',
      'The 2020 cease-fire held.',
    ]);
    expect(texts('one line\r\n\r\nanother')).toEqual(['one line', 'another']);
    expect(texts('one line\nstill the same sentence')).toEqual(['one line\nstill the same sentence']);
  });
});

describe('splitSentences: dates, initialisms and initials', () => {
  it('keeps "Oct. 31" and "Oct. 31, 2022." together and ends after the year', () => {
    expect(texts('They met on Oct. 31, 2022. Talks continue.')).toEqual(['They met on Oct. 31, 2022.', 'Talks continue.']);
    expect(texts('Ministers met on Oct. 3 in Geneva.')).toEqual(['Ministers met on Oct. 3 in Geneva.']);
  });

  it.each(['Jan', 'Feb', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'])('keeps "%s." before a day', (month) => {
    expect(texts(`Talks began on ${month}. 5 in Geneva. They ended later.`)).toEqual([
      `Talks began on ${month}. 5 in Geneva.`,
      'They ended later.',
    ]);
  });

  it('ends a sentence at a month abbreviation when a sentence opener follows', () => {
    expect(texts('The truce lasted until Dec. The talks resumed.')).toEqual([
      'The truce lasted until Dec.',
      'The talks resumed.',
    ]);
  });

  it('keeps "U.S.-brokered", "the U.S. and the EU" and "U.S. President" inside the sentence', () => {
    expect(texts('It ended with a U.S.-brokered cease-fire. Then talks began.')).toEqual([
      'It ended with a U.S.-brokered cease-fire.',
      'Then talks began.',
    ]);
    expect(texts('Now the U.S. and the EU mediate.')).toEqual(['Now the U.S. and the EU mediate.']);
    expect(texts('U.S. President Joe Biden spoke. He left.')).toEqual(['U.S. President Joe Biden spoke.', 'He left.']);
  });

  it('ends a sentence at "U.S." when a common sentence opener follows', () => {
    expect(texts('Aid came from the U.S. The EU followed.')).toEqual(['Aid came from the U.S.', 'The EU followed.']);
  });

  it('keeps initials with their names', () => {
    expect(texts('J. R. R. Tolkien wrote it. Vladimir V. Putin spoke. George W. Bush left.')).toEqual([
      'J. R. R. Tolkien wrote it.',
      'Vladimir V. Putin spoke.',
      'George W. Bush left.',
    ]);
    // "A." before another initial is a name, not the article.
    expect(texts('A. A. Milne wrote it.')).toEqual(['A. A. Milne wrote it.']);
  });
});

describe('splitSentences: abbreviations', () => {
  it.each(['Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'Gen', 'Sen', 'Rep', 'Gov', 'St', 'Lt', 'Col', 'Sgt'])(
    'never ends a sentence at the title "%s."',
    (title) => {
      expect(texts(`Talks with ${title}. Smith ended. They resume soon.`)).toEqual([
        `Talks with ${title}. Smith ended.`,
        'They resume soon.',
      ]);
      // Even before a word that would otherwise open a sentence.
      expect(texts(`Call ${title}. The Smith twins.`)).toEqual([`Call ${title}. The Smith twins.`]);
    },
  );

  it.each(['Jr', 'Sr'])('keeps "%s." inside a name and ends a sentence when one plainly starts', (suffix) => {
    expect(texts(`Martin Luther King ${suffix}. Day is a holiday. It is in January.`)).toEqual([
      `Martin Luther King ${suffix}. Day is a holiday.`,
      'It is in January.',
    ]);
    expect(texts(`They met Robert Downey ${suffix}. He spoke.`)).toEqual([`They met Robert Downey ${suffix}.`, 'He spoke.']);
  });

  it('keeps "No. 5" together but ends a sentence at "No." without a number', () => {
    expect(texts('He was ranked No. 5 in the world. Then he retired.')).toEqual([
      'He was ranked No. 5 in the world.',
      'Then he retired.',
    ]);
    expect(texts('The answer was No. The vote failed.')).toEqual(['The answer was No.', 'The vote failed.']);
  });

  it('keeps "vs.", "e.g.", "i.e." and "etc." mid-sentence', () => {
    expect(texts('Russia vs. Ukraine dominated. It ended.')).toEqual(['Russia vs. Ukraine dominated.', 'It ended.']);
    expect(texts('Some leaders, e.g. Macron, objected.')).toEqual(['Some leaders, e.g. Macron, objected.']);
    expect(texts('One side, i.e. Baku, agreed.')).toEqual(['One side, i.e. Baku, agreed.']);
    expect(texts('Cities, villages, etc. were liberated. Talks followed.')).toEqual([
      'Cities, villages, etc. were liberated.',
      'Talks followed.',
    ]);
  });

  it('ends a sentence at "etc." when a new sentence plainly starts', () => {
    expect(texts('They rebuilt roads, bridges, etc. The work took years.')).toEqual([
      'They rebuilt roads, bridges, etc.',
      'The work took years.',
    ]);
  });

  it('treats the lowercase "v." of case names as inline', () => {
    expect(texts('Roe v. Wade was cited.')).toEqual(['Roe v. Wade was cited.']);
  });

  it('does not break inside decimals, URLs or emails, and ends after them', () => {
    expect(texts('Growth was 3.5 percent. It rose.')).toEqual(['Growth was 3.5 percent.', 'It rose.']);
    expect(texts('See https://example.com/News/2022.10.31/Sochi?id=5.A for details. Then read on.')).toEqual([
      'See https://example.com/News/2022.10.31/Sochi?id=5.A for details.',
      'Then read on.',
    ]);
    expect(texts('Visit www.example.com. Email press.Office@Kremlin.ru. Then wait.')).toEqual([
      'Visit www.example.com.',
      'Email press.Office@Kremlin.ru.',
      'Then wait.',
    ]);
  });
});

describe('splitSentences: quotations', () => {
  it('keeps each quoted sentence with its own quotes', () => {
    expect(texts('"It was useful," Putin said. "We agreed."')).toEqual(['"It was useful," Putin said.', '"We agreed."']);
    expect(texts('“It was useful,” Putin said. “We agreed.”')).toEqual(['“It was useful,” Putin said.', '“We agreed.”']);
  });

  it('ends after the closing mark of ." .” .) and ?”', () => {
    expect(texts('He said "no." Then he left.')).toEqual(['He said "no."', 'Then he left.']);
    expect(texts('He said “no.” Then he left.')).toEqual(['He said “no.”', 'Then he left.']);
    expect(texts('(This was expected.) Then talks began.')).toEqual(['(This was expected.)', 'Then talks began.']);
    expect(texts('He asked “why?” Nobody knew.')).toEqual(['He asked “why?”', 'Nobody knew.']);
    // A closing mark after an abbreviation's period ends the sentence, whatever follows.
    expect(texts('It was signed (in the U.S.) Putin objected.')).toEqual(['It was signed (in the U.S.)', 'Putin objected.']);
    expect(texts('The list ended with "etc." Nobody asked why.')).toEqual(['The list ended with "etc."', 'Nobody asked why.']);
  });

  it('keeps a quote followed by its attribution as one sentence', () => {
    expect(texts('"It was useful," Putin said after the talks.')).toEqual(['"It was useful," Putin said after the talks.']);
    expect(texts('"Is it over?" Putin asked. "Not yet."')).toEqual(['"Is it over?" Putin asked.', '"Not yet."']);
    expect(texts('"Enough!" Mr. Aliyev shouted.')).toEqual(['"Enough!" Mr. Aliyev shouted.']);
    expect(texts('"Why?" he asked.')).toEqual(['"Why?" he asked.']);
  });

  it('treats a sentence end inside a quotation as a real break', () => {
    expect(texts('"It was useful. We agreed on much," Putin said.')).toEqual([
      '"It was useful.',
      'We agreed on much," Putin said.',
    ]);
  });

  it('does not break at an ellipsis inside a quotation, but does outside one', () => {
    expect(texts('"Well... I think so," Putin said. He paused… Then he spoke.')).toEqual([
      '"Well... I think so," Putin said.',
      'He paused…',
      'Then he spoke.',
    ]);
    expect(texts('“We waited … We hoped,” he said. Then it ended.')).toEqual([
      '“We waited … We hoped,” he said.',
      'Then it ended.',
    ]);
    expect(texts('"We waited…" Then it ended.')).toEqual(['"We waited…"', 'Then it ended.']);
  });
});

describe('splitSentences: robustness', () => {
  it('handles emoji, astral capitals and control characters', () => {
    const input = 'Hello 👋. 🌍 is round. Wow! 𝐀 bold start.\u0000 \u0007Bell. End\u200b.';
    const sentences = splitSentences(input);
    expectWellFormed(input, sentences);
    expect(sentences.map((s) => s.text)).toEqual([
      'Hello 👋. 🌍 is round.',
      'Wow!',
      '𝐀 bold start.\u0000 \u0007Bell.',
      'End\u200b.',
    ]);
  });

  it('handles 10,000 characters without punctuation', () => {
    const input = 'word '.repeat(2_000);
    expect(splitSentences(input)).toEqual([{ text: input.trimEnd(), start: 0, end: input.length - 1 }]);
  });

  it('stays fast on adversarial input', () => {
    const inputs = [
      'a.'.repeat(100_000),
      'U.S.'.repeat(50_000) + ' The end.',
      'Mr. '.repeat(50_000),
      `${'('.repeat(100_000)}`,
      '"Why?" Putin '.repeat(20_000),
      'x. '.repeat(60_000),
      'Oct. '.repeat(40_000) + 'A'.repeat(100_000) + '.',
      ' \n'.repeat(100_000),
    ];
    // Measured separately from the checks, which cost far more than the split itself. A
    // quadratic splitter takes minutes here; a linear one takes milliseconds.
    const started = performance.now();
    const results = inputs.map((input) => splitSentences(input));
    expect(performance.now() - started).toBeLessThan(2_000);
    inputs.forEach((input, index) => expectWellFormed(input, results[index] ?? []));
  });
});

/** Paragraphs of the real article, parsed the way the corpus loader reads them. */
function articleParagraphs(): string[] {
  const source = readFileSync(new URL('../corpus/sochi-summit-2022-10-31.md', import.meta.url), 'utf8');
  const lines = source.split('\n');
  const open = lines.indexOf('---');
  const close = lines.indexOf('---', open + 1);
  return lines
    .slice(close + 1)
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('## '))
    .map((p) => p.replace(/^Caption: /, ''));
}

describe('splitSentences: the Sochi summit article', () => {
  const paragraphs = articleParagraphs();
  const paragraph = (number: number): string => {
    const text = paragraphs[number - 1];
    if (text === undefined) throw new Error(`no paragraph ¶${number}`);
    return text;
  };

  /** Paragraphs with more than one sentence, or a trap for a naive splitter, in full. */
  const expected: Record<number, string[]> = {
    1: [
      '(L-R) Azerbaijani President Ilham Aliyev, Russian President Vladimir Putin and Armenian Prime Minister Nikol Pashinian attend trilateral talks in the Black sea resort of Sochi, Russia, Oct. 31, 2022.',
    ],
    3: [
      '"In our common opinion, this was a very useful meeting.',
      'In my opinion, it created a very good atmosphere for future possible agreements on some fundamental issues," Putin said in a statement after the meeting concluded.',
    ],
    4: [
      'Putin underlined that parties could not agree on everything concerning Karabakh, adding that some parts had to be removed from the text "previously worked out at the level of specialists."',
    ],
    10: [
      'In the fall of 2020, in 44 days of clashes, Baku liberated several cities, villages, and settlements from Armenian occupation, ending in a Moscow-brokered truce.',
      'The peace agreement is celebrated as a triumph in Azerbaijan.',
    ],
    17: [
      'Putin then received Aliyev, who thanked his Russian counterpart for giving "impetus to the normalization process".',
    ],
    18: [
      '"The Karabakh conflict is already part of history.',
      'This issue was resolved two years ago.',
      'So there is practically nothing left to discuss in this context," Aliyev insisted.',
    ],
    20: ['The hostilities ended with a U.S.-brokered cease-fire, after earlier failed attempts by Russia to negotiate a truce.'],
    21: [
      'With Moscow increasingly isolated on the world stage following its February offensive on Ukraine, the U.S. and the EU have taken a leading role in mediating the Armenia-Azerbaijan peace talks.',
    ],
    23: [
      'Following a slew of diplomatic efforts from Brussels and Washington, Armenian and Azerbaijani foreign ministers met on Oct. 3 in Geneva to begin drafting the text of a future peace treaty.',
    ],
    33: [
      'The Kremlin said the trio would also discuss "questions on rebuilding and developing trade and economic as well as transport links."',
    ],
  };

  it('parses the 33 paragraphs of the article', () => {
    expect(paragraphs).toHaveLength(33);
    expect(paragraph(1).startsWith('(L-R)')).toBe(true);
    expect(paragraph(27).startsWith('The 2020 cease-fire')).toBe(true);
  });

  it.each(Object.entries(expected))('splits ¶%s as pinned', (number, sentences) => {
    expect(texts(paragraph(Number(number)))).toEqual(sentences);
  });

  it('reads every other paragraph as one sentence', () => {
    paragraphs.forEach((text, index) => {
      if (expected[index + 1] !== undefined) return;
      expect(texts(text), `¶${index + 1}`).toEqual([text]);
    });
  });

  it('meets the span contract on every paragraph', () => {
    for (const text of paragraphs) expectWellFormed(text, splitSentences(text));
  });

  it('splits the whole body like its paragraphs, plus the heading', () => {
    const source = readFileSync(new URL('../corpus/sochi-summit-2022-10-31.md', import.meta.url), 'utf8');
    const body = source.slice(source.indexOf('---', 3) + 3);
    const whole = splitSentences(body);
    expectWellFormed(body, whole);
    const perParagraph = paragraphs.reduce((sum, text) => sum + splitSentences(text).length, 0);
    expect(whole).toHaveLength(perParagraph + 1);
    expect(whole.map((s) => s.text)).toContain('## Russian peacekeepers');
  });
});

describe('attribution after a quoted question', () => {
  it('does not reach across a blank line (found by the paragraph property)', () => {
    expect(splitSentences('"Why?" Putin asked.').map((s) => s.text)).toEqual(['"Why?" Putin asked.']);
    expect(splitSentences('"Why?" Putin\n\nasked nothing.').map((s) => s.text)).toEqual(['"Why?"', 'Putin', 'asked nothing.']);
    expect(splitSentences('Mr.)! Putin\n\nsaid').map((s) => s.text)).toEqual(['Mr.)!', 'Putin', 'said']);
  });
});

describe('splitSentences: properties', () => {
  const pieces = [
    'Putin', 'the', 'talks', 'Oct.', '31', '2022', 'U.S.', 'U.S.-brokered', 'Mr.', 'Dr.', 'Jr.', 'No.', '5', 'vs.',
    'etc.', 'e.g.', 'i.e.', '3.5', 'J.', 'R.', 'A', 'The', 'He', 'said', 'asked', 'https://example.com/a.b', 'a.b@c.org',
    '.', '..', '...', '…', '!', '?', '?!', ',', '"', '“', '”', "'", '’', '(', ')', '[', ']', '—', '«', '»',
    ' ', ' ', ' ', '  ', '\n', '\n\n', '\r\n', '\t', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u200b',
    '👋', '𝐀', 'É', 'é', '\u0000', '\ud800', '\udc00',
  ];
  const soup = fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((parts) => parts.join(''));
  const anyString = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
    soup,
  );

  it('rebuilds the trimmed input from sentences and whitespace gaps', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        expectWellFormed(input, splitSentences(input));
      }),
      { numRuns: 2_000 },
    );
  });

  it('splits paragraphs independently across a blank line', () => {
    fc.assert(
      fc.property(soup, soup, (a, b) => {
        const joined = `${a}\n\n${b}`;
        const shift = a.length + 2;
        const expectedSentences = [
          ...splitSentences(a),
          ...splitSentences(b).map((s) => ({ ...s, start: s.start + shift, end: s.end + shift })),
        ];
        expect(splitSentences(joined)).toEqual(expectedSentences);
      }),
      { numRuns: 1_000 },
    );
  });

  it('does not depend on how many spaces separate words', () => {
    fc.assert(
      fc.property(soup, (input) => {
        const widened = input.replace(/ /g, '   ');
        expect(texts(widened).map((s) => s.replace(/ {3}/g, ' '))).toEqual(texts(input));
      }),
      { numRuns: 1_000 },
    );
  });
});
