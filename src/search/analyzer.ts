import { stemmer } from 'stemmer';
import type { Glossary } from '../corpus/glossary.ts';
import type { Span } from '../corpus/types.ts';
import { STOP_WORDS } from './stopWords.ts';

/**
 * Turns text into search terms, the same way for articles and for questions:
 * fold case and diacritics (Erdoğan = erdogan), join hyphenated forms and keep their parts
 * (cease-fire = ceasefire; Azerbaijan-Armenia also finds armenia), fold glossary aliases to one
 * term (Pashinyan = Pashinian, European Union = EU), drop stop words and stem English (clashes =
 * clash). Synonyms are not applied here: they widen questions only (see `planQuery`); but a
 * multi-word synonym ("keep the peace", "French president") is marked with a phrase term
 * wherever its words stand together, in articles and questions alike, so it can be matched as one.
 */

/** A word as it stands in the text, with where it stands. */
export interface Token extends Span {
  /** Case- and diacritic-folded, possessive dropped: "pashinian", "cease-fire", "u.s.". */
  readonly folded: string;
  /** The text as written, for case-sensitive aliases. */
  readonly raw: string;
}

/** A search term and the span of text it came from. */
export interface Term extends Span {
  readonly term: string;
}

// Dotted abbreviations (U.S., U.S.A.), numbers with separators (2,000 or 3.5), then words with
// inner apostrophes or hyphens (Pashinian's, cease-fire, U.S.-brokered splits at the abbreviation).
const TOKEN = /(?:\p{L}\.){2,}|\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{N}]+(?:['’‐‑-][\p{L}\p{N}]+)*/gu;
const HYPHENS = /[‐‑-]/;
const MAX_TERM_LENGTH = 40;
/** Joins the words of a multi-word synonym into one term: "prime minister" → "prime_minist". */
export const PHRASE_JOINER = '_';
/** Parts of hyphenated words shorter than this are not offered to typo tolerance ("u", "44"). */
const MIN_PART_WORD = 4;

/** Folded forms by word as written: indexing a large corpus folds the same words many times. */
const FOLDED = new Map<string, string>();
const MAX_CACHED_WORDS = 200_000;

export function fold(word: string): string {
  let folded = FOLDED.get(word);
  if (folded === undefined) {
    folded = word
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/’/g, "'")
      .replace(/'s$/, '');
    if (FOLDED.size < MAX_CACHED_WORDS) FOLDED.set(word, folded);
  }
  return folded;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index;
    tokens.push({ raw, folded: fold(raw), start, end: start + raw.length });
  }
  return tokens;
}

/** Numbers are indexed without separators so "2,000" and "2000" meet. */
function normalizeNumber(folded: string): string | undefined {
  return /^\p{N}+(?:[.,]\p{N}+)+$/u.test(folded) ? folded.replace(/,/g, '') : undefined;
}

/**
 * Plurals the Porter stemmer gets wrong: it makes "lives" (plural of life) "live" (the verb, as in
 * "people live in Sochi"), and leaves "children" apart from "child".
 */
const IRREGULAR_PLURALS: ReadonlyMap<string, string> = new Map([
  ['lives', 'life'], ['wives', 'wife'], ['knives', 'knife'], ['thieves', 'thief'], ['halves', 'half'],
  ['wolves', 'wolf'], ['shelves', 'shelf'], ['loaves', 'loaf'], ['calves', 'calf'],
  ['children', 'child'], ['men', 'man'], ['women', 'woman'], ['mice', 'mouse'], ['feet', 'foot'],
  ['teeth', 'tooth'], ['geese', 'goose'],
]);

/** Stems by word: a corpus repeats its words, and stemming is the analyzer's costliest step. */
const STEMS = new Map<string, string>();

function stemWord(folded: string): string {
  const word = folded.replace(/['.]/g, '');
  if (/^\p{N}/u.test(word)) return word;
  let stem = STEMS.get(word);
  if (stem === undefined) {
    stem = stemmer(IRREGULAR_PLURALS.get(word) ?? word);
    if (STEMS.size < MAX_CACHED_WORDS) STEMS.set(word, stem);
  }
  return stem;
}

interface AliasEntry {
  readonly canonical: string;
  /** Matched against the raw text (capitals only) when folding would make it a stop word: US vs us. */
  readonly raw?: readonly string[];
}

interface PhraseEntry {
  /** Replaces the phrase's words with this term. */
  readonly alias?: AliasEntry;
  /** Adds this term beside the phrase's own words (multi-word synonyms: "prime minister"). */
  readonly phraseTerm?: string;
}

export class Analyzer {
  /** Folded phrase ("nagorno karabakh") → what it stands for. Keys are space-joined folded tokens. */
  private readonly phrases = new Map<string, PhraseEntry>();
  /** First word of a phrase → the most words a phrase starting with it has: most words start none. */
  private readonly phraseLengths = new Map<string, number>();
  /** The terms aliases fold to. */
  private readonly canonicals = new Set<string>();
  /** Term → the other terms of its synonym groups. */
  private readonly synonyms = new Map<string, Set<string>>();

  constructor(glossary: Glossary) {
    for (const group of glossary.aliases) {
      const [first] = group;
      if (first === undefined) continue;
      const canonical = tokenize(first).map((t) => t.folded.replace(/[^\p{L}\p{N}]/gu, '')).join('');
      this.canonicals.add(canonical);
      for (const form of group) this.addAliasForm(form, canonical);
    }
    for (const group of glossary.synonyms) {
      const terms = group.map((form) => this.synonymTerm(form)).filter((t): t is string => t !== undefined);
      for (const term of terms) {
        const others = this.synonyms.get(term) ?? new Set<string>();
        for (const other of terms) if (other !== term) others.add(other);
        this.synonyms.set(term, others);
      }
    }
    for (const key of this.phrases.keys()) {
      const words = key.split(' ');
      const first = words[0] as string;
      this.phraseLengths.set(first, Math.max(this.phraseLengths.get(first) ?? 0, words.length));
    }
  }

  private addAliasForm(form: string, canonical: string): void {
    const tokens = tokenize(form);
    const key = tokens.map((t) => t.folded).join(' ');
    if (key === '') return;
    const caseSensitive = tokens.length === 1 && STOP_WORDS.has(stripDots(key));
    const existing = this.phrases.get(key);
    if (caseSensitive) {
      const raw = [...(existing?.alias?.raw ?? []), form];
      this.phrases.set(key, { ...existing, alias: { canonical, raw } });
    } else if (!existing?.alias) {
      this.phrases.set(key, { ...existing, alias: { canonical } });
    }
  }

  /**
   * A synonym form as one term: a single word's term, or a phrase term for several words. A
   * phrase keeps its small words, so "could not agree" does not become "agree".
   */
  private synonymTerm(form: string): string | undefined {
    const tokens = tokenize(form);
    if (tokens.length === 0) return undefined;
    const key = tokens.map((t) => t.folded).join(' ');
    const existing = this.phrases.get(key);
    if (existing?.alias && !existing.alias.raw) return existing.alias.canonical;
    if (tokens.length === 1) return this.terms(form)[0]?.term;
    const phraseTerm = tokens.map((t) => (STOP_WORDS.has(t.folded) ? t.folded : stemWord(t.folded))).join(PHRASE_JOINER);
    this.phrases.set(key, { ...existing, phraseTerm });
    return phraseTerm;
  }

  /** Search terms of a text, each with the span it came from, in order. */
  terms(text: string): Term[] {
    const tokens = tokenize(text);
    const out: Term[] = [];
    for (let i = 0; i < tokens.length; ) {
      const consumed = this.pushPhraseTerms(tokens, i, out);
      if (consumed > 0) {
        i += consumed;
        continue;
      }
      this.pushWordTerms(tokens[i] as Token, out);
      i++;
    }
    return out;
  }

  /**
   * Glossary phrases starting at `at`, longest first. A multi-word synonym ("keep the peace") adds
   * its phrase term and leaves its words to be read on; an alias replaces the words it spans and
   * ends the look-up. Returns how many tokens an alias consumed (0 if none).
   */
  private pushPhraseTerms(tokens: readonly Token[], at: number, out: Term[]): number {
    const longest = this.phraseLengths.get((tokens[at] as Token).folded) ?? 0;
    for (let length = Math.min(longest, tokens.length - at); length >= 1; length--) {
      const window = tokens.slice(at, at + length);
      const entry = this.phrases.get(window.map((t) => t.folded).join(' '));
      if (!entry) continue;
      const start = (window[0] as Token).start;
      const end = (window[length - 1] as Token).end;
      if (entry.phraseTerm && length > 1) out.push({ term: entry.phraseTerm, start, end });
      const alias = entry.alias;
      if (alias && (!alias.raw || (length === 1 && alias.raw.includes(window[0]?.raw ?? '')))) {
        out.push({ term: alias.canonical, start, end });
        return length;
      }
    }
    return 0;
  }

  private pushWordTerms(token: Token, out: Term[]): void {
    const { start, end } = token;
    const number = normalizeNumber(token.folded);
    if (number !== undefined) {
      out.push({ term: number, start, end });
      return;
    }
    if (HYPHENS.test(token.folded)) {
      const parts = token.folded.split(HYPHENS).filter(Boolean);
      out.push({ term: this.wordTerm(parts.join('')), start, end });
      for (const part of parts) {
        const alias = this.phrases.get(part)?.alias;
        if (alias && !alias.raw) out.push({ term: alias.canonical, start, end });
        else if (!STOP_WORDS.has(part) && part.length > 1) out.push({ term: this.wordTerm(part), start, end });
      }
      return;
    }
    if (STOP_WORDS.has(token.folded) || token.folded.length > MAX_TERM_LENGTH) return;
    const term = this.wordTerm(token.folded);
    if (term !== '') out.push({ term, start, end });
  }

  /**
   * The words of a text as written (folded, without dots or apostrophes), each with the search
   * terms it produced. Typo tolerance compares a reader's word with these surface forms rather
   * than with stems: "septmber" is one edit from "september" but three from its stem "septemb".
   * A hyphenated word also yields its parts ("karabakh" of "Nagorno-Karabakh").
   */
  words(text: string, terms: readonly Term[] = this.terms(text)): { word: string; terms: string[] }[] {
    const out: { word: string; terms: string[] }[] = [];
    let next = 0;
    for (const token of tokenize(text)) {
      while (next < terms.length && (terms[next] as Term).end <= token.start) next++;
      // Phrase terms ("prime_minist") belong to several words, not to this one.
      const own: string[] = [];
      for (let i = next; i < terms.length && (terms[i] as Term).start < token.end; i++) {
        const { term } = terms[i] as Term;
        if (!term.includes(PHRASE_JOINER)) own.push(term);
      }
      if (own.length === 0) continue;
      out.push({ word: surface(token.folded), terms: own });
      if (HYPHENS.test(token.folded)) {
        for (const part of token.folded.split(HYPHENS)) {
          if (part.length < MIN_PART_WORD) continue;
          const stem = this.wordTerm(part);
          out.push({ word: surface(part), terms: own.includes(stem) ? [stem] : own });
        }
      }
    }
    return out;
  }

  /** Each one-word glossary alias form ("pashinyan", "turkiye") with the term it folds to. */
  aliasWords(): { word: string; term: string }[] {
    const out: { word: string; term: string }[] = [];
    for (const [key, entry] of this.phrases) {
      if (entry.alias && !entry.alias.raw && !key.includes(' ')) out.push({ word: surface(key), term: entry.alias.canonical });
    }
    return out;
  }

  /**
   * A word's stem, unless the stem is a glossary alias's term: Porter makes "useful" "us", which
   * is the United States; such a word keeps its whole form.
   */
  private wordTerm(folded: string): string {
    const stem = stemWord(folded);
    return this.canonicals.has(stem) && !this.canonicals.has(folded) ? surface(folded) : stem;
  }

  /** The synonyms of a term, as other terms (never the term itself). */
  synonymsOf(term: string): ReadonlySet<string> {
    return this.synonyms.get(term) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** A folded word as typo tolerance compares it: letters and digits only. */
export function surface(folded: string): string {
  return folded.replace(/[^\p{L}\p{N}]/gu, '');
}

function stripDots(word: string): string {
  return word.replace(/\./g, '');
}
