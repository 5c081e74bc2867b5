/**
 * The knowledge base's plain data. Everything below the reply layer speaks in these types;
 * nothing here knows about Discord.
 */

/** One article, validated. `published` is the date every relative time expression resolves against. */
export interface Document {
  /** Lowercase slug, unique across the corpus. */
  readonly id: string;
  readonly title: string;
  /** ISO date, YYYY-MM-DD. */
  readonly published: string;
  readonly source?: string;
  readonly url?: string;
  /** Credit of the article's photo, when it has one. */
  readonly credit?: string;
  readonly language?: string;
  /** Where the document came from (a path), for error messages and logs. */
  readonly file: string;
  readonly passages: readonly Passage[];
}

/** A span of a passage's text: [start, end) in UTF-16 code units, as String.slice takes them. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Sentence extends Span {
  readonly text: string;
}

/** `body` is article text; `caption` is a photo caption, which keeps that role. */
export type PassageKind = 'body' | 'caption';

/** One paragraph, the unit of citation. */
export interface Passage {
  /** Stable id: `<document-id>#<number>`. */
  readonly id: string;
  readonly documentId: string;
  /** 1-based, in reading order within its document. */
  readonly number: number;
  /** What a reader sees: `¶<number>`. */
  readonly citation: string;
  readonly kind: PassageKind;
  /** The `## ` heading this paragraph sits under, if any. */
  readonly section?: string;
  readonly text: string;
  readonly sentences: readonly Sentence[];
  /** 1-based line in the source file where the paragraph starts. */
  readonly line: number;
}
