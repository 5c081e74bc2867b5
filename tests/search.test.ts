import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/loadCorpus.ts';
import { parseArticle } from '../src/corpus/parseArticle.ts';
import type { Passage } from '../src/corpus/types.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { MAX_EXCERPTS, MAX_SUGGESTIONS, recencyFactor, type Answer, type Excerpt } from '../src/search/ask.ts';
import { MAX_EXCERPT_LENGTH } from '../src/search/excerpt.ts';
import { planQuery } from '../src/search/queryPlan.ts';
import { resolveRelativeDates } from '../src/search/relativeDates.ts';

const DOC = 'sochi-summit-2022-10-31';
const ELLIPSIS = '…';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await KnowledgeBase.open('corpus');
});

const terms = (text: string) => kb.index.analyzer.terms(text).map((t) => t.term);
const numbers = (answer: Answer) => answer.excerpts.map((e) => Number(e.passage.split('#')[1]));
const first = (question: string) => numbers(kb.ask(question))[0];
const passage = (excerpt: Excerpt): Passage => {
  const found = kb.passage(excerpt.passage);
  if (!found) throw new Error(`no passage ${excerpt.passage}`);
  return found;
};

/** The contract of every excerpt: short, a slice of its passage cut at word boundaries, highlights inside. */
function expectWellFormedExcerpt(excerpt: Excerpt, source: Passage): void {
  expect(excerpt.text.length).toBeLessThanOrEqual(MAX_EXCERPT_LENGTH);
  expect(excerpt.citation).toBe(source.citation);
  const startsCut = excerpt.text.startsWith(ELLIPSIS);
  const endsCut = excerpt.text.endsWith(ELLIPSIS);
  const body = excerpt.text.slice(startsCut ? ELLIPSIS.length : 0, endsCut ? -ELLIPSIS.length : undefined);
  const at = source.text.indexOf(body);
  expect(at).toBeGreaterThanOrEqual(0);
  // Cut at word boundaries: no half word on either side of a cut.
  if (startsCut && body !== '') expect(source.text[at - 1] ?? ' ').toMatch(/[\s—–-]/);
  if (endsCut && body !== '') expect(source.text[at + body.length] ?? ' ').toMatch(/[\s,;:—–-]/);
  for (const h of excerpt.highlights) {
    expect(h.start).toBeGreaterThanOrEqual(0);
    expect(h.end).toBeLessThanOrEqual(excerpt.text.length);
    expect(h.start).toBeLessThan(h.end);
  }
}

describe('analyzer', () => {
  it('folds case and diacritics', () => {
    expect(terms('Erdoğan')).toEqual(terms('erdogan'));
    expect(terms('ERDOGAN')).toEqual(terms('erdogan'));
    expect(terms('Türkiye')).toEqual(terms('Turkey'));
    expect(first('Erdoğan')).toBe(32);
    expect(first('what is Turkey doing')).toBe(32);
  });

  it('joins hyphenated words and keeps their parts', () => {
    expect(terms('cease-fire')).toContain(terms('ceasefire')[0]);
    expect(terms('re-opened')).toContain(terms('reopened')[0]);
    expect(first('ceasefire violations')).toBe(30);
    expect(first('reopened airport')).toBe(31);
    // A part still finds its word: Azerbaijan-Armenia border → armenia.
    expect(terms('Azerbaijan-Armenia')).toEqual(expect.arrayContaining(terms('Armenia')));
  });

  it('stems English words so that forms meet', () => {
    expect(terms('clashes')).toEqual(terms('clash'));
    expect(terms('negotiating')).toEqual(terms('negotiate'));
    expect(terms('criticized')).toEqual(terms('criticism'));
    // The plural of life is not the verb "live".
    expect(terms('lives')).not.toEqual(terms('live'));
  });

  it('drops stop words and question words', () => {
    expect(terms('What did the of and is it')).toEqual([]);
    expect(terms('How many were there')).toEqual([]);
  });

  it('folds glossary aliases, including several-word forms', () => {
    expect(terms('Pashinyan')).toEqual(terms('Pashinian'));
    expect(terms("Pashinian's")).toEqual(terms('Pashinian'));
    expect(terms('European Union')).toEqual(terms('EU'));
    expect(terms('prisoners of war')).toEqual(terms('POWs'));
    expect(terms('Nagorno Karabakh')).toEqual(terms('Karabakh'));
  });

  it('tells the US from the pronoun "us", and from "useful"', () => {
    expect(terms('US')).toEqual(terms('U.S.'));
    expect(terms('the United States')).toEqual(terms('US'));
    expect(terms('tell us')).not.toContain(terms('US')[0]);
    expect(terms('a useful meeting')).not.toContain(terms('US')[0]);
  });

  it('resolves relative dates against the publication date', () => {
    expect(resolveRelativeDates('Last month, 286 people were killed', '2022-10-31')).toEqual(['September 2022']);
    expect(resolveRelativeDates('This issue was resolved two years ago.', '2022-10-31')).toEqual(['2020']);
    expect(resolveRelativeDates('a summit in Sochi on Monday', '2022-10-31')).toEqual(['October 31 2022']);
    expect(resolveRelativeDates('nothing relative here', '2022-10-31')).toEqual([]);
  });
});

describe('ask: finding the passage', () => {
  it('finds a glossary alias in the passages that use the other spelling', () => {
    // The article writes Pashinian; readers write Pashinyan.
    const answer = kb.ask('What did Pashinyan say about extending the presence of the peacekeepers?');
    expect(answer.answered).toBe(true);
    expect(numbers(answer)).toContain(28);
    expect(first('What has the European Union announced for Armenia?')).toBe(30);
    expect(first('What did the United States do to end the fighting?')).toBe(20);
  });

  it('does not let fuzzy neighbours drown a correctly spelled word', () => {
    // "truck" is one edit from the article's "truce", but it is a word: it is not corrected.
    const plan = planQuery('Did a truck arrive?', kb.index, kb.english);
    const truck = plan.concepts.find((c) => c.words === 'truck');
    expect(truck?.matches.size).toBe(0);
    expect(kb.ask('Did a truck arrive?').answered).toBe(false);
    // "Paris" is in the article: it is matched as written, not as its neighbour "parts".
    const paris = planQuery('Paris', kb.index, kb.english).concepts[0];
    expect([...(paris?.matches.keys() ?? [])]).not.toContain(terms('parts')[0]);
    expect(first('Paris')).toBe(24);
  });

  it('tolerates typos: edits, swapped letters, misspelt names', () => {
    expect(first('who did Erdgoan meet in Prague')).toBe(32);
    expect(numbers(kb.ask('how many ppl were killed in the septmber clashes'))[0]).toBeOneOf([8, 19]);
    expect(first('geneva foriegn ministers meeting')).toBe(23);
    expect(first('Zangelan airport?')).toBe(31);
    expect(first('who occupied Nagorno-Karabkh in 1991')).toBe(9);
  });

  it('answers with cited excerpts, at most three, best first', () => {
    const answer = kb.ask('tell me about the Russian peacekeepers');
    expect(answer.answered).toBe(true);
    expect(answer.excerpts.length).toBeGreaterThan(0);
    expect(answer.excerpts.length).toBeLessThanOrEqual(MAX_EXCERPTS);
    for (const excerpt of answer.excerpts) {
      expect(excerpt.document).toBe(DOC);
      expect(excerpt.citation).toMatch(/^¶\d+$/);
      expect(excerpt.passage).toBe(`${DOC}#${excerpt.citation.slice(1)}`);
      expectWellFormedExcerpt(excerpt, passage(excerpt));
    }
    const scores = answer.excerpts.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('highlights the matched words inside the excerpt', () => {
    const answer = kb.ask('How many peacekeepers did Russia deploy?');
    const [best] = answer.excerpts;
    expect(best?.citation).toBe('¶27');
    const marked = (best?.highlights ?? []).map((h) => best?.text.slice(h.start, h.end));
    expect(marked).toEqual(expect.arrayContaining(['peacekeepers', 'Russia', 'deploy']));
    // Highlights of a later sentence land on that sentence's words.
    const later = kb.ask('Is the peace agreement celebrated in Azerbaijan?').excerpts[0];
    const words = (later?.highlights ?? []).map((h) => later?.text.slice(h.start, h.end));
    expect(words).toEqual(expect.arrayContaining(['celebrated', 'Azerbaijan']));
    for (const w of words) expect(w).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}'’.-]*$/u);
  });

  it('answers by the kind of answer asked for', () => {
    expect(first('When did the foreign ministers meet in Geneva?')).toBe(23);
    expect(first('What day of the week was the Sochi summit?')).toBe(2);
    expect(first('How long did the 2020 fighting go on?')).toBe(10);
    expect(first('Who is in the photo?')).toBe(1);
    expect(first('Who is the president of Russia?')).toBe(1);
  });
});

describe('ask: abstaining', () => {
  it.each(['What is the capital of France?', 'What did Joe Biden say at the summit?', 'How much gas does Azerbaijan export?'])(
    'abstains on %s, says why and offers at most three leads',
    (question) => {
      const answer = kb.ask(question);
      expect(answer.answered).toBe(false);
      expect(answer.excerpts).toEqual([]);
      expect(answer.explanation).toMatch(/^The article does not cover that/);
      expect(answer.suggestions?.length ?? 0).toBeLessThanOrEqual(MAX_SUGGESTIONS);
      for (const s of answer.suggestions ?? []) expectWellFormedExcerpt(s, passage(s));
    },
  );

  it('names what the article lacks', () => {
    expect(kb.ask('What is the capital of France?').explanation).toContain('"capital"');
    expect(kb.ask('What did Joe Biden say at the summit?').explanation).toContain('"Biden"');
  });

  it('abstains when the passage lacks the kind of answer asked for', () => {
    const who = kb.ask('Who is the president of Armenia?');
    expect(who.answered).toBe(false);
    expect(who.explanation).toContain('does not name who');
    const when = kb.ask('When was the Zangilan airport first built?');
    expect(when.answered).toBe(false);
    expect(when.suggestions?.[0]?.citation).toBe('¶31');
  });
});

describe('ask: hostile and odd input', () => {
  const expectSafe = (question: string) => {
    const answer = kb.ask(question);
    expect(answer.question).toBe(question);
    expect(answer.excerpts.length).toBeLessThanOrEqual(MAX_EXCERPTS);
    expect(answer.suggestions?.length ?? 0).toBeLessThanOrEqual(MAX_SUGGESTIONS);
    for (const e of [...answer.excerpts, ...(answer.suggestions ?? [])]) expectWellFormedExcerpt(e, passage(e));
    if (!answer.answered) expect(answer.explanation).toBeTruthy();
    return answer;
  };

  it('handles empty and blank questions', () => {
    expect(expectSafe('').answered).toBe(false);
    expect(expectSafe('   \n\t ').answered).toBe(false);
    expect(kb.ask('').explanation).toMatch(/empty/);
  });

  it('handles 10,000 characters', () => {
    expectSafe('peace '.repeat(1667).slice(0, 10_000));
    expectSafe('x'.repeat(10_000));
  });

  it('handles emoji, control characters and lone surrogates', () => {
    expect(expectSafe('👍🏽 Erdoğan 🇹🇷 in Prague?').answered).toBe(true);
    expectSafe('Putin\u0000\u0007\u001b[31m said\u200b\u2028?');
    expectSafe('\uD800 Putin \uDC00');
  });

  it('treats query syntax as text', () => {
    expect(expectSafe('AND OR NOT * ~ ^ :').answered).toBe(false);
    expectSafe('peace~2 AND "truce"^3 OR title:Sochi -Putin +Aliyev');
  });

  it('never throws, and every excerpt is a short exact slice of its passage (property)', () => {
    const vocabulary = ['Putin', 'peace', 'Erdoğan', 'truce', 'AND', 'OR', 'NOT', '*', '~', '^', ':', '"', '👍', '\u0000', '\uD800', '\uDC00', 'cease-fire', '¶27', ' ', '?'];
    const anyCodeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((codes) => String.fromCharCode(...codes));
    const wordSoup = fc.array(fc.constantFrom(...vocabulary), { maxLength: 20 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(fc.oneof(anyCodeUnits, wordSoup, fc.string({ maxLength: 80 })), (question) => {
        expectSafe(question);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ask: beside an archive', () => {
  it('judges the summit paragraphs as the summit article alone does, whatever the archive makes rare', () => {
    // An archive where everyone is born and nobody is Putin: corpus-wide, "Putin" is rare and
    // "born" common, so the caption (Putin, and a date) would seem to cover the question.
    const archive = Array.from({ length: 60 }, (_, i) =>
      parseArticle(`---\nid: obituary-${i}\ntitle: Obituary ${i}\npublished: 2022-10-31\n---\n\nThe painter number ${i} was born in 1950 in a village near the coast.\n`, `o${i}.md`),
    );
    const both = new KnowledgeBase({ dir: 'memory', documents: [...kb.documents, ...archive], glossary: kb.corpus.glossary });
    for (const question of ['When was Putin born?', 'How many Armenian POWs does Azerbaijan hold?']) {
      expect(kb.ask(question).answered).toBe(false);
      const beside = both.ask(question);
      expect(beside.excerpts.filter((e) => e.document === DOC)).toEqual([]);
    }
    // What the article does answer, it still answers first.
    expect(both.ask('How many peacekeepers did Russia deploy?').excerpts[0]?.passage).toBe(`${DOC}#27`);
  });

  it('reads a typo as the word with the same letters before a commoner word as near', () => {
    const archive = Array.from({ length: 20 }, (_, i) =>
      parseArticle(`---\nid: rescue-${i}\ntitle: Rescue ${i}\npublished: 2022-10-31\n---\n\nThe climber was found alive on the ridge.\n`, `r${i}.md`),
    );
    const both = new KnowledgeBase({ dir: 'memory', documents: [...kb.documents, ...archive], glossary: kb.corpus.glossary });
    // "alive" (a letter dropped) is as near as "Aliyev" (two swapped) and far commoner here.
    expect(both.index.nearWords('aliyve', 1).map((w) => w.word)).toEqual(['aliyev', 'alive']);
    expect(both.ask('what did Aliyve thank Putin for').excerpts[0]?.passage).toBe(`${DOC}#17`);
  });
});

describe('ask: newer articles first', () => {
  /** Two reports of the same event, a year apart, and an unrelated one: each a paragraph about the talks. */
  const report = (id: string, published: string, text: string) =>
    parseArticle(`---\nid: ${id}\ntitle: Report ${id}\npublished: ${published}\n---\n\n${text}\n`, `${id}.md`);
  const SAME = 'The delegations met in Geneva for talks on the border crossing.';
  const corpusOf = (...documents: ReturnType<typeof report>[]) => new KnowledgeBase({ dir: 'memory', documents, glossary: kb.corpus.glossary });

  it('ranks the newer of two equally good passages first, whatever the order of the corpus', () => {
    for (const documents of [
      [report('older', '2021-10-31', SAME), report('newer', '2022-10-31', SAME)],
      [report('newer', '2022-10-31', SAME), report('older', '2021-10-31', SAME)],
    ]) {
      const answer = corpusOf(...documents).ask('Where did the delegations meet for talks?');
      expect(answer.excerpts.map((e) => e.document)).toEqual(['newer', 'older']);
      const [newer, older] = answer.excerpts;
      // A year's age weighs (1 + 0.3 / 2) / 1.3 of the newest article's score.
      expect((older?.score ?? 0) / (newer?.score ?? 1)).toBeCloseTo(1.15 / 1.3, 2);
    }
  });

  it('still answers from an old article that answers clearly better', () => {
    const answer = corpusOf(
      report('archive', '2005-01-01', 'The delegations met in Geneva for talks on the border crossing at Lachin.'),
      report('today', '2022-10-31', 'Talks were held.'),
    ).ask('Where did the delegations meet for talks on the border crossing?');
    expect(answer.excerpts[0]?.document).toBe('archive');
  });

  it('changes nothing within one article', () => {
    expect(recencyFactor(0)).toBe(1);
    expect(recencyFactor(365)).toBeCloseTo(1.15 / 1.3, 10);
    expect(recencyFactor(6513)).toBeGreaterThan(1 / 1.3);
    expect(recencyFactor(6513)).toBeLessThan(1 / 1.29);
    const summit = kb.index.passages.get(`${DOC}#27`);
    expect(summit && kb.index.ageInDays(summit)).toBe(0);
  });
});

describe('excerpts of long passages', () => {
  let long: KnowledgeBase;
  beforeAll(async () => {
    const { glossary } = await loadCorpus('corpus');
    // One sentence of over 600 characters, the answer in its middle: it must be cut.
    const filler = 'the delegations spent the morning on procedure and the afternoon on maps of the region';
    const paragraph = `After ${filler}, and after ${filler} once more, while officials in both capitals waited for news and ${filler} yet again, the negotiators finally agreed on a prisoner exchange near Lachin, which both governments welcomed, although ${filler} the next day too, and the talks ran late into the night before anyone spoke to reporters about the outcome of the day, which ${filler} as well.`;
    const article = `---\nid: long-article\ntitle: Long talks\npublished: 2022-11-01\n---\n\n${paragraph}\n`;
    long = new KnowledgeBase({ dir: 'memory', documents: [parseArticle(article, 'long.md')], glossary });
    expect(paragraph.length).toBeGreaterThan(MAX_EXCERPT_LENGTH);
  });

  it('cuts to at most 400 characters at word boundaries, with ellipses, keeping the matched words', () => {
    const answer = long.ask('Where was the prisoner exchange agreed?');
    expect(answer.answered).toBe(true);
    const [excerpt] = answer.excerpts;
    if (!excerpt) throw new Error('no excerpt');
    const source = long.passage(excerpt.passage);
    if (!source) throw new Error('no passage');
    expect(source.text.length).toBeGreaterThan(MAX_EXCERPT_LENGTH);
    expect(excerpt.text.length).toBeLessThanOrEqual(MAX_EXCERPT_LENGTH);
    expect(excerpt.text).toContain('prisoner exchange near Lachin');
    expect(excerpt.text.startsWith(ELLIPSIS) || excerpt.text.endsWith(ELLIPSIS)).toBe(true);
    expectWellFormedExcerpt(excerpt, source);
    const marked = excerpt.highlights.map((h) => excerpt.text.slice(h.start, h.end));
    expect(marked).toEqual(expect.arrayContaining(['prisoner', 'exchange', 'agreed']));
  });
});
