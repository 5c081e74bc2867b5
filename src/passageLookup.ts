import type { Passage } from './corpus/types.ts';
import type { KnowledgeBase } from './knowledgeBase.ts';
import { planQuery } from './search/queryPlan.ts';

/** How a reader names a passage: `27`, `¶27`, `p27` or a full id `sochi-summit-2022-10-31#27`. */
const PARAGRAPH_REFERENCE = /^\s*(?:¶|p|para(?:graph)?\.?\s*)?(\d{1,6})\s*$/i;

export type PassageReference =
  | { readonly kind: 'found'; readonly passage: Passage }
  | { readonly kind: 'missing'; readonly reason: string }
  | { readonly kind: 'not-a-reference' };

/**
 * Resolves a citation or passage id. A bare number refers to the first document's paragraph,
 * which is unambiguous only while the corpus has one document; otherwise a full id is needed.
 */
export function resolvePassageReference(kb: KnowledgeBase, reference: string): PassageReference {
  const trimmed = reference.trim();
  const byId = kb.passage(trimmed);
  if (byId) return { kind: 'found', passage: byId };
  if (/^[a-z0-9-]+#\d+$/.test(trimmed)) return { kind: 'missing', reason: `no passage "${trimmed}" in the corpus` };

  const match = PARAGRAPH_REFERENCE.exec(trimmed);
  if (!match) return { kind: 'not-a-reference' };
  const number = Number(match[1]);
  const [first] = kb.documents;
  if (!first) return { kind: 'missing', reason: 'the corpus is empty' };
  if (kb.documents.length > 1) {
    return { kind: 'missing', reason: `¶${number} is ambiguous with ${kb.documents.length} articles: use a full id such as ${first.id}#${number}` };
  }
  const passage = first.passages[number - 1];
  if (!passage) return { kind: 'missing', reason: `no passage ¶${number}: the article has ¶1–¶${first.passages.length}` };
  return { kind: 'found', passage };
}

/**
 * Passages matching what a reader types, best first, for autocomplete and quoting. Unlike `ask`
 * it never abstains: a reader looking for a passage wants the nearest ones.
 */
export function searchPassages(kb: KnowledgeBase, text: string, limit: number): Passage[] {
  const reference = resolvePassageReference(kb, text);
  const found = reference.kind === 'found' ? [reference.passage] : [];
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
