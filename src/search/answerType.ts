/**
 * What kind of answer a question wants, read from how it opens. A passage that lacks any such
 * answer (no number for "how many", no date for "when") cannot answer it, however many of the
 * question's words it shares.
 */
export type AnswerType = 'quantity' | 'time' | 'duration' | 'age';

const QUANTITY_QUESTION = /^(?:how (?:many|much)|what (?:number|percentage|share)|what was the (?:death )?toll)\b/i;
const TIME_QUESTION = /^(?:when|since when|how long ago|(?:what|which) (?:year|month|date|day|week|season))\b/i;
const DURATION_QUESTION = /^(?:how long|for how long|how many (?:years|months|weeks|days|decades))\b/i;
const AGE_QUESTION = /^how old\b/i;

export function answerTypeOf(question: string): AnswerType | undefined {
  const opening = question.trim().replace(/^(?:and|so|but|ok|okay)[,\s]+/i, '');
  if (AGE_QUESTION.test(opening)) return 'age';
  if (DURATION_QUESTION.test(opening)) return 'duration';
  if (QUANTITY_QUESTION.test(opening)) return 'quantity';
  if (TIME_QUESTION.test(opening)) return 'time';
  return undefined;
}

const NUMBER =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|dozens?)\b/i;
const TIME =
  /\b(?:1[5-9]\d\d|20\d\d|jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|ago|spring|summer|fall|autumn|winter|(?:this|last|next) (?:week|month|year))\b/i;
const DURATION = /\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)[\s-]+(?:days?|weeks?|months?|years?|decades?)\b|\bsince (?:1[5-9]\d\d|20\d\d)\b|\bdecades\b/i;
const AGE = /\b(?:\d+|[a-z]+-[a-z]+)[\s-]+years?[\s-]+old\b|\baged? \d+\b|\bborn\b/i;

/** Whether a text holds an answer of the wanted type. */
export function containsAnswerType(text: string, type: AnswerType): boolean {
  switch (type) {
    case 'quantity':
      return NUMBER.test(text);
    case 'time':
      return TIME.test(text);
    case 'duration':
      return DURATION.test(text);
    case 'age':
      return AGE.test(text);
  }
}
