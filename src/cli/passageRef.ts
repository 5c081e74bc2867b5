import type { Document, Passage } from '../corpus/types.ts';
import { CliFailure, UsageError } from './errors.ts';

/** How a passage can be named on the command line. */
export const PASSAGE_REF_FORMS = 'N, ¶N or <document-id>#N (e.g. 27, ¶27, sochi-summit-2022-10-31#27)';

export type PassageRef =
  /** `27` or `¶27`: a paragraph of the only document. */
  | { readonly kind: 'number'; readonly number: number; readonly citation: string }
  /** `<document-id>#27`: the stable passage id. */
  | { readonly kind: 'id'; readonly documentId: string; readonly number: number; readonly id: string };

const NUMBER_REF = /^¶?\s*(\d{1,9})$/;
const ID_REF = /^([a-z0-9]+(?:-[a-z0-9]+)*)#(\d{1,9})$/;

/** Checks the form of a reference (a usage error when wrong) before any corpus is loaded. */
export function parsePassageRef(input: string): PassageRef {
  const text = input.trim();
  const byNumber = NUMBER_REF.exec(text);
  if (byNumber?.[1] !== undefined) {
    const number = Number(byNumber[1]);
    return { kind: 'number', number, citation: `¶${number}` };
  }
  const byId = ID_REF.exec(text);
  if (byId?.[1] !== undefined && byId[2] !== undefined) {
    const number = Number(byId[2]);
    return { kind: 'id', documentId: byId[1], number, id: `${byId[1]}#${number}` };
  }
  throw new UsageError(`bad passage reference "${input}": use ${PASSAGE_REF_FORMS}`);
}

/**
 * The passage a reference names. A bare number is only unambiguous while the corpus has one
 * document; past that it must be a full id. A well-formed reference to a passage that does not
 * exist is a failure (exit 1) that says which passages do.
 */
export function resolvePassageRef(ref: PassageRef, documents: readonly Document[]): Passage {
  if (ref.kind === 'number') {
    const [only, ...others] = documents;
    if (!only || others.length > 0) {
      const example = only ? `${only.id}#${ref.number}` : `<document-id>#${ref.number}`;
      throw new UsageError(
        `${ref.citation} is ambiguous: the corpus has ${documents.length} articles; give a full passage id <document-id>#N, e.g. ${example}`,
      );
    }
    return findPassage(only, ref.number, ref.citation, 'the article');
  }
  const document = documents.find((d) => d.id === ref.documentId);
  if (!document) {
    throw new CliFailure(`no passage ${ref.id}: there is no article "${ref.documentId}" (articles: ${listIds(documents)})`);
  }
  return findPassage(document, ref.number, documents.length === 1 ? `¶${ref.number}` : ref.id, documents.length === 1 ? 'the article' : 'that article');
}

function findPassage(document: Document, number: number, shown: string, which: string): Passage {
  const passage = document.passages.find((p) => p.number === number);
  if (passage) return passage;
  const first = document.passages[0];
  const last = document.passages.at(-1);
  const range = first && last ? `${first.citation}–${last.citation}` : 'no passages';
  throw new CliFailure(`no passage ${shown}: ${which} has ${range}`);
}

function listIds(documents: readonly Document[]): string {
  const shown = documents.slice(0, 5).map((d) => d.id);
  return documents.length > shown.length ? `${shown.join(', ')} and ${documents.length - shown.length} more` : shown.join(', ');
}
