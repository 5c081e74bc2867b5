/**
 * The peer: Lunr over the same passages, with its own English pipeline (trimmer, stop words,
 * Porter stemmer). Questions go through Lunr's tokenizer and become OR-ed terms through its query
 * API (its query-string syntax would read "said:" as a field and "-" as a prohibition). Lunr
 * only ranks; `ask` also plans synonyms and typo corrections, judges coverage and cuts excerpts.
 */
import lunr from 'lunr';
import type { Document } from '../src/corpus/types.ts';

/** The same field weighting as the passage index where Lunr has the field: text 1, title 0.25. */
export function buildLunr(documents: readonly Document[]): lunr.Index {
  return lunr(function () {
    this.ref('id');
    this.field('text');
    this.field('title', { boost: 0.25 });
    for (const document of documents) {
      for (const passage of document.passages) this.add({ id: passage.id, text: passage.text, title: document.title });
    }
  });
}

export function searchLunr(index: lunr.Index, question: string): lunr.Index.Result[] {
  const tokens = lunr.tokenizer(question);
  return index.query((query) => {
    for (const token of tokens) query.term(token, {});
  });
}
