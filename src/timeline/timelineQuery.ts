import type { KnowledgeBase } from '../knowledgeBase.ts';
import { planQuery } from '../search/queryPlan.ts';
import { extractEventsFromCorpus } from './extractEvents.ts';
import { filterTimeline } from './timeline.ts';
import type { TimelineEvent } from './types.ts';

export interface TimelineQuery {
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Words the event's sentence must match, searched with the same analyzer as `ask`. */
  readonly query?: string | undefined;
}

/**
 * Events are extracted once per knowledge base, on first use: chrono-node is too slow to run
 * for every request, and a knowledge base never changes (a corpus update builds a new one).
 */
const eventsByKnowledgeBase = new WeakMap<KnowledgeBase, readonly TimelineEvent[]>();

export function corpusEvents(kb: KnowledgeBase): readonly TimelineEvent[] {
  let events = eventsByKnowledgeBase.get(kb);
  if (!events) {
    events = extractEventsFromCorpus(kb.documents);
    eventsByKnowledgeBase.set(kb, events);
  }
  return events;
}

/**
 * The timeline, filtered by dates and words. Throws DateFilterError (a usage error) for a
 * malformed date or `from` after `to`.
 */
export function queryTimeline(kb: KnowledgeBase, query: TimelineQuery = {}): TimelineEvent[] {
  const words = query.query?.trim() ?? '';
  let matches: ((event: TimelineEvent) => boolean) | undefined;
  if (words !== '') {
    const plan = planQuery(words.slice(0, 300), kb.index, kb.english);
    const wanted = new Set(plan.weights.keys());
    // A word filter that matches nothing in the corpus matches no event, rather than all of them.
    matches = (event) => kb.index.analyzer.terms(`${event.text} ${event.phrase}`).some((t) => wanted.has(t.term));
  }
  return filterTimeline(corpusEvents(kb), { from: query.from, to: query.to, matches });
}
