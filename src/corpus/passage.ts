import type { Passage } from './types.ts';

/** What a passage is besides its place: everything `makePassage` does not derive. */
export type PassageContent = Omit<Passage, 'id' | 'documentId' | 'number' | 'citation'>;

/**
 * A passage at its place in its document: its id (`<document-id>#<number>`) and citation
 * (`¶<number>`) are derived here and nowhere else, for a document parsed from its file and for
 * one restored from a saved index alike; other tools rely on both.
 */
export function makePassage(documentId: string, number: number, content: PassageContent): Passage {
  return { id: passageId(documentId, number), documentId, number, citation: `¶${number}`, ...content };
}

/** A passage's stable id: `<document-id>#<number>`. */
export function passageId(documentId: string, number: number): string {
  return `${documentId}#${number}`;
}
