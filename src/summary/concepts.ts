import type { Analyzer } from '../search/analyzer.ts';

/**
 * Folds glossary synonyms into one concept per group of connected synonyms, so that sentences
 * telling of one thing in other words ("hostilities" and "clashes", "truce" and "cease-fire")
 * count as one subject, both for how central it is and for what a chosen point already covers.
 * Search treats a synonym as a weaker match; a summary needs to know it is the same subject.
 */
export class Concepts {
  private readonly analyzer: Analyzer;
  private readonly representative = new Map<string, string>();
  private readonly components = new Map<string, readonly string[]>();

  constructor(analyzer: Analyzer) {
    this.analyzer = analyzer;
  }

  /** The concept a term stands for: the smallest term of its synonym component. */
  of(term: string): string {
    const known = this.representative.get(term);
    if (known !== undefined) return known;
    const component = new Set<string>([term]);
    const queue = [term];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      for (const synonym of this.analyzer.synonymsOf(next)) {
        if (component.has(synonym)) continue;
        component.add(synonym);
        queue.push(synonym);
      }
    }
    const members = [...component].sort();
    const smallest = members[0] ?? term;
    for (const member of members) this.representative.set(member, smallest);
    this.components.set(smallest, members);
    return smallest;
  }

  /** The terms a concept stands for (the concept as returned by `of`). */
  members(concept: string): readonly string[] {
    return this.components.get(concept) ?? [concept];
  }
}

const cache = new WeakMap<Analyzer, Concepts>();

/** One concept map per analyzer: the glossary does not change while an index lives. */
export function conceptsFor(analyzer: Analyzer): Concepts {
  let concepts = cache.get(analyzer);
  if (!concepts) {
    concepts = new Concepts(analyzer);
    cache.set(analyzer, concepts);
  }
  return concepts;
}
