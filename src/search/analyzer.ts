import { stemmer } from 'stemmer';
import type { Glossary } from '../corpus/glossary.ts';
import type { Span } from '../corpus/types.ts';
import { STOP_WORDS } from './stopWords.ts';

/**
 * Turns text into search terms, the same way for articles and for questions:
 * fold case and diacritics (Erdoğan = erdogan), join hyphenated forms and keep their parts
 * (cease-fire = ceasefire; Azerbaijan-Armenia also finds armenia), fold glossary aliases to one
 * term (Pashinyan = Pashinian, European Union = EU), drop stop words and stem English (clashes =
 * clash). Synonyms are not applied here: they widen questions only (see `expandSynonyms`).
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

export function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/'s$/, '');
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

function stemWord(folded: string): string {
  const word = folded.replace(/['.]/g, '');
  if (/^\p{N}/u.test(word)) return word;
  return stemmer(word);
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
  private readonly longestPhrase: number;
  /** Term → the other terms of its synonym groups. */
  private readonly synonyms = new Map<string, Set<string>>();

  constructor(glossary: Glossary) {
    for (const group of glossary.aliases) {
      const [first] = group;
      if (first === undefined) continue;
      const canonical = tokenize(first).map((t) => t.folded.replace(/[^\p{L}\p{N}]/gu, '')).join('');
      for (const form of group) this.addAliasForm(form, canonical);
    }
    let longest = 1;
    for (const key of this.phrases.keys()) longest = Math.max(longest, key.split(' ').length);
    this.longestPhrase = longest;

    for (const group of glossary.synonyms) {
      const terms = group.map((form) => this.synonymTerm(form)).filter((t): t is string => t !== undefined);
      for (const term of terms) {
        const others = this.synonyms.get(term) ?? new Set<string>();
        for (const other of terms) if (other !== term) others.add(other);
        this.synonyms.set(term, others);
      }
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

  /** A synonym form as one term: a single word's term, or a phrase term for several words. */
  private synonymTerm(form: string): string | undefined {
    const terms = this.terms(form);
    if (terms.length === 1) return terms[0]?.term;
    if (terms.length === 0) return undefined;
    const key = tokenize(form).map((t) => t.folded).join(' ');
    const phraseTerm = terms.map((t) => t.term).join('_');
    const existing = this.phrases.get(key);
    if (!existing?.alias) this.phrases.set(key, { ...existing, phraseTerm });
    return phraseTerm;
  }

  /** Search terms of a text, each with the span it came from, in order. */
  terms(text: string): Term[] {
    const tokens = tokenize(text);
    const out: Term[] = [];
    for (let i = 0; i < tokens.length; ) {
      const phrase = this.matchPhrase(tokens, i);
      if (phrase) {
        const first = tokens[i] as Token;
        const last = tokens[i + phrase.length - 1] as Token;
        if (phrase.entry.alias) {
          out.push({ term: phrase.entry.alias.canonical, start: first.start, end: last.end });
          i += phrase.length;
          continue;
        }
        if (phrase.entry.phraseTerm) out.push({ term: phrase.entry.phraseTerm, start: first.start, end: last.end });
      }
      this.pushWordTerms(tokens[i] as Token, out);
      i++;
    }
    return out;
  }

  private matchPhrase(tokens: readonly Token[], at: number): { entry: PhraseEntry; length: number } | undefined {
    for (let length = Math.min(this.longestPhrase, tokens.length - at); length >= 1; length--) {
      const window = tokens.slice(at, at + length);
      const entry = this.phrases.get(window.map((t) => t.folded).join(' '));
      if (!entry) continue;
      const raw = entry.alias?.raw;
      if (raw && !(length === 1 && raw.includes(window[0]?.raw ?? ''))) {
        if (!entry.phraseTerm) continue;
        return { entry: { phraseTerm: entry.phraseTerm }, length };
      }
      return { entry, length };
    }
    return undefined;
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
      out.push({ term: stemWord(parts.join('')), start, end });
      for (const part of parts) {
        const alias = this.phrases.get(part)?.alias;
        if (alias && !alias.raw) out.push({ term: alias.canonical, start, end });
        else if (!STOP_WORDS.has(part) && part.length > 1) out.push({ term: stemWord(part), start, end });
      }
      return;
    }
    if (STOP_WORDS.has(token.folded) || token.folded.length > MAX_TERM_LENGTH) return;
    const term = stemWord(token.folded);
    if (term !== '') out.push({ term, start, end });
  }

  /** The synonyms of a term, as other terms (never the term itself). */
  synonymsOf(term: string): ReadonlySet<string> {
    return this.synonyms.get(term) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function stripDots(word: string): string {
  return word.replace(/\./g, '');
}
