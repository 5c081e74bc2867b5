import { MAX_QUESTION_LENGTH } from '../search/ask.ts';

export type QuestionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The checks every text transport applies before asking: an empty question is a mistake, not a
 * query, and the length limit is the same one the Discord option enforces. Anything else (emoji,
 * control characters, search operators) goes through: `ask` treats it as plain words.
 */
export function checkQuestion(question: string): QuestionCheck {
  const trimmed = question.trim();
  if (trimmed === '') return { ok: false, reason: 'the question is empty: ask about the article in a few words' };
  // Counted in characters as a reader sees them, not UTF-16 units: an emoji is one character.
  const length = [...trimmed].length;
  if (length > MAX_QUESTION_LENGTH) {
    return { ok: false, reason: `the question is ${length} characters long; the limit is ${MAX_QUESTION_LENGTH}` };
  }
  return { ok: true };
}
