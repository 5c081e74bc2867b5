/**
 * The benchmark's questions: the evaluation set, then phrases drawn from random passages of the
 * corpus being measured (3 to 8 consecutive words, as someone quoting or half-remembering a
 * sentence would type them), about a third of them with a typo in one word.
 */
import type { Passage } from '../src/corpus/types.ts';
import { loadEvalQuestions } from '../tests/eval/evaluate.ts';

/** A small seeded generator (mulberry32): the same questions in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPO_SHARE = 0.3;

/** One typing slip in a word of five letters or more: two letters swapped, one dropped, doubled or replaced. */
function typo(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + (word[at + 1] ?? '') + word[at] + word.slice(at + 2);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + word[at] + word.slice(at);
    default:
      return word.slice(0, at) + 'etaoinshr'[Math.floor(random() * 9)] + word.slice(at + 1);
  }
}

/** `count` phrases from random passages; deterministic for a given seed. */
export function passagePhrases(passages: readonly Passage[], count: number, seed = 2005): string[] {
  const random = seededRandom(seed);
  const phrases: string[] = [];
  while (phrases.length < count) {
    const passage = passages[Math.floor(random() * passages.length)] as Passage;
    const words = passage.text.split(/\s+/);
    const length = 3 + Math.floor(random() * 6);
    const start = Math.floor(random() * Math.max(1, words.length - length));
    const phrase = words.slice(start, start + length);
    if (random() < TYPO_SHARE) {
      const candidates = phrase.map((w, i) => ({ w, i })).filter(({ w }) => /^\p{L}{5,}$/u.test(w));
      const pick = candidates[Math.floor(random() * candidates.length)];
      if (pick) phrase[pick.i] = typo(pick.w, random);
    }
    phrases.push(phrase.join(' '));
  }
  return phrases;
}

/** The evaluation questions, then phrases from the passages: `total` questions in all. */
export function benchQuestions(passages: readonly Passage[], total: number): string[] {
  const evaluation = loadEvalQuestions().map((q) => q.question);
  return [...evaluation, ...passagePhrases(passages, Math.max(0, total - evaluation.length))];
}

/** The question a freshly started process answers first: its answer is the summit's ¶27. */
export const READY_QUESTION = 'How many peacekeepers did Russia deploy?';
