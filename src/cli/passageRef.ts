import type { Document, Passage } from '../corpus/types.ts';
import { PASSAGE_REF_FORMS, parsePassageRef as readPassageRef, resolvePassageRef as lookUpPassage, type PassageRef } from '../passageLookup.ts';
import { CliFailure, UsageError } from './errors.ts';

export { PASSAGE_REF_FORMS, type PassageRef };

/** Checks the form of a reference (a usage error when wrong) before any corpus is loaded. */
export function parsePassageRef(input: string): PassageRef {
  const ref = readPassageRef(input);
  if (!ref) throw new UsageError(`bad passage reference "${input}": use ${PASSAGE_REF_FORMS}`);
  return ref;
}

/** The passage a reference names: ambiguity is a usage error (exit 2), a missing passage a failure (exit 1). */
export function resolvePassageRef(ref: PassageRef, documents: readonly Document[]): Passage {
  const lookup = lookUpPassage(ref, documents);
  if (lookup.kind === 'found') return lookup.passage;
  if (lookup.kind === 'ambiguous') throw new UsageError(lookup.reason);
  throw new CliFailure(lookup.reason);
}
