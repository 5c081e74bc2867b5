import { passageId } from './corpus/passage.ts';
import type { Document, Passage } from './corpus/types.ts';
import type { KnowledgeBase } from './knowledgeBase.ts';
import { planQuery } from './search/queryPlan.ts';

/** How a passage can be named: a paragraph number, or the stable id. */
export const PASSAGE_REF_FORMS = 'N, ¶N or <document-id>#N (e.g. 27, ¶27, sochi-summit-2022-10-31#27)';

export type PassageRef =
  /** `27` or `¶27`: a paragraph of the only document. */
  | { readonly kind: 'number'; readonly number: number; readonly citation: string }
  /** `<document-id>#27`: the stable passage id. */
  | { readonly kind: 'id'; readonly documentId: string; readonly number: number; readonly id: string };

const NUMBER_REF = /^¶?\s*(\d{1,9})$/;
const ID_REF = /^([a-z0-9]+(?:-[a-z0-9]+)*)#(\d{1,9})$/;

/** Reads a reference's form; undefined when the text is not a reference (but words to search). */
export function parsePassageRef(input: string): PassageRef | undefined {
  const text = input.trim();
  const byNumber = NUMBER_REF.exec(text);
  if (byNumber?.[1] !== undefined) {
    const number = Number(byNumber[1]);
    return { kind: 'number', number, citation: `¶${number}` };
  }
  const byId = ID_REF.exec(text);
  if (byId?.[1] !== undefined && byId[2] !== undefined) {
    const number = Number(byId[2]);
    return { kind: 'id', documentId: byId[1], number, id: passageId(byId[1], number) };
  }
  return undefined;
}

export type PassageLookup =
  | { readonly kind: 'found'; readonly passage: Passage }
  /** A bare number with several articles: the reader must give a full id. */
  | { readonly kind: 'ambiguous'; readonly reason: string }
  /** A well-formed reference to a passage that does not exist; the reason says which do. */
  | { readonly kind: 'missing'; readonly reason: string };

/**
 * The passage a reference names. A bare number is only unambiguous while the corpus has one
 * document; past that it must be a full id.
 */
export function resolvePassageRef(ref: PassageRef, documents: readonly Document[]): PassageLookup {
  if (ref.kind === 'number') {
    const [only, ...others] = documents;
    if (!only || others.length > 0) {
      const example = only ? `${only.id}#${ref.number}` : `<document-id>#${ref.number}`;
      return {
        kind: 'ambiguous',
        reason: `${ref.citation} is ambiguous: the corpus has ${documents.length} articles; give a full passage id <document-id>#N, e.g. ${example}`,
      };
    }
    return findPassage(only, ref.number, ref.citation, 'the article');
  }
  const document = documents.find((d) => d.id === ref.documentId);
  if (!document) return { kind: 'missing', reason: `no passage ${ref.id}: there is no article "${ref.documentId}" (articles: ${listIds(documents)})` };
  return findPassage(document, ref.number, documents.length === 1 ? `¶${ref.number}` : ref.id, documents.length === 1 ? 'the article' : 'that article');
}

function findPassage(document: Document, number: number, shown: string, which: string): PassageLookup {
  const passage = document.passages.find((p) => p.number === number);
  if (passage) return { kind: 'found', passage };
  const first = document.passages[0];
  const last = document.passages.at(-1);
  const range = first && last ? `${first.citation}–${last.citation}` : 'no passages';
  return { kind: 'missing', reason: `no passage ${shown}: ${which} has ${range}` };
}

function listIds(documents: readonly Document[]): string {
  const shown = documents.slice(0, 5).map((d) => d.id);
  return documents.length > shown.length ? `${shown.join(', ')} and ${documents.length - shown.length} more` : shown.join(', ');
}

/**
 * Passages matching what a reader types, best first, for autocomplete and quoting. Unlike `ask`
 * it never abstains: a reader looking for a passage wants the nearest ones.
 */
export function searchPassages(kb: KnowledgeBase, text: string, limit: number): Passage[] {
  const ref = parsePassageRef(text);
  const lookup = ref ? resolvePassageRef(ref, kb.documents) : undefined;
  const found = lookup?.kind === 'found' ? [lookup.passage] : [];
  const plan = planQuery(text.slice(0, 300), kb.index, kb.english);
  const hits = kb.index.search(plan.weights).map((hit) => hit.passage);
  const seen = new Set<string>();
  return [...found, ...hits].filter((p) => !seen.has(p.id) && seen.add(p.id)).slice(0, limit);
}

/** The opening passages of each document: what autocomplete offers before anything is typed. */
export function leadPassages(kb: KnowledgeBase, limit: number): Passage[] {
  const perDocument = Math.max(1, Math.ceil(limit / kb.documents.length));
  return kb.documents.flatMap((d) => d.passages.slice(0, perDocument)).slice(0, limit);
}
