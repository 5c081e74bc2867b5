import type { Span } from '../corpus/types.ts';
import { PHRASE_JOINER, tokenize, type Term, type Token } from './analyzer.ts';

/**
 * What kind of answer a question wants, read from how it opens. A passage that lacks any such
 * answer (no number for "how many", no date for "when", no reported speech for "what did X
 * say", no named person for "who is the president of…") cannot answer it, however many of the
 * question's words it shares.
 */
export type AnswerType = 'quantity' | 'time' | 'future' | 'duration' | 'age' | 'speech' | 'identity' | 'reason' | 'place';

export interface QuestionShape {
  readonly type?: AnswerType;
  /**
   * The words that only name the kind of answer ("what month", "how many years"): a passage
   * answers with a month or a number of years and need not use those words, so they are not
   * searched for.
   */
  readonly typeWords?: Span;
  /**
   * The words naming what is asked for: "gas" in "how much gas…", "capital" in "what is the
   * capital of France?". A passage that never mentions it cannot answer, whatever else it shares
   * with the question; for "how many" the passage's number must count it ("286 people").
   */
  readonly focus?: Span;
}

/** Words a question may open with before it starts asking. */
const LEAD_IN = /^(?:(?:and|so|but|ok|okay|also)[,\s]+)*/i;

const AGE_QUESTION = /^how old\b/i;
const DURATION_QUESTION = /^(?:(?:for|since) )?how long\b|^(?:for )?how many (?:more )?(?:years|months|weeks|days|decades|hours)\b/i;
/** "How many Russian peacekeepers have…": what is counted runs to the first verb or preposition. */
const QUANTITY_QUESTION =
  /^(?:how (?:many|much)|what (?:number|percentage|share|proportion) of)((?: (?!(?:did|do|does|were|was|are|is|have|has|had|will|would|can|could|in|of|on|at|from|to|for|by|with|than|there)\b)[\p{L}\p{N}'’-]+)*)/iu;
const TOLL_QUESTION = /^what (?:was|is) the (?:death )?toll\b/i;
/** "When will…", "when is the next…": the answer is a time still to come. */
const FUTURE_QUESTION = /^when (?:will|shall|(?:is|are|was|were) (?:the |a )?next|(?:is|are) .{1,60}? (?:going|due|expected|scheduled|set|planned) to)\b/i;
const TIME_QUESTION = /^(?:since when|how long ago|when)\b/i;
/** Only the noun names the kind of answer: "what day of the week", "in which year". */
const TIME_NOUN_QUESTION = /^(?:(?:in|on|during) )?(?:what|which) (?:year|month|date|day(?: of the week)?|week ?day|weekday|week|season|time of (?:the )?year)\b/i;
/**
 * "What did Putin say…", "what has Aliyev told…": a passage that reports no one's words, with
 * neither a verb of saying nor a quotation, cannot tell what anyone said.
 */
const SPEECH_QUESTION =
  /^(?:what|how) (?:did|does|do|has|have|had|was|were|is) .{1,80}?\b(?:say|said|says|tell|told|state|stated|claim|claimed|comment|accuse|accused|promise|promised|announce|announced|vow|vowed|warn|warned|reply|replied|respond|responded|insist|insisted|argue|argued|mean|call)\b/i;
/**
 * "Who is the president of Armenia?", "what is the name of the Armenian foreign minister?": the
 * answer is someone holding a role, so a passage must name the holder, not merely use the role's
 * words ("Armenian and Azerbaijani foreign ministers met…" names no one). Not "who is losing…"
 * or "who is in…", which ask who does or is something.
 */
const IDENTITY_QUESTION =
  /^(?:who(?:'s| is| was| are| were)|what(?:'s| is| was| are| were) (?:the )?names? of|name) (?!(?:in|on|at|behind|to|from|with|for|by|not|still|now|also|being|going)\b)(?!\S+ing\b)/i;
/** "Where…", "in which city…": the answer names a place. */
const PLACE_QUESTION = /^where\b/i;
/** "Which country…", "in what city…": only the noun names the kind of answer. */
const PLACE_NOUN_QUESTION = /^(?:(?:in|at|to|from) )?(?:what|which) (?:city|town|village|country|place|region|capital|state)\b/i;
/** "Why…", "for what reason…": the answer gives a cause. */
const REASON_QUESTION = /^(?:why|how come|for what reason|what (?:is|was) the reason)\b/i;
/**
 * "What is the capital of France?", "what are Yerevan's priorities?": the noun after the verb
 * (past a possessive) is what is asked for.
 */
const WHAT_IS_QUESTION = /^(?:what|which)(?:'s| is| are| was| were) (?:the |a |an )?(?:[\p{L}\p{N}]+['’]s? )?([\p{L}\p{N}-]+)/iu;

export function readQuestion(question: string): QuestionShape {
  const lead = LEAD_IN.exec(question.trimStart())?.[0] ?? '';
  const offset = question.length - question.trimStart().length + lead.length;
  const opening = question.slice(offset);
  const whole = (match: RegExpExecArray): Span => ({ start: offset, end: offset + match[0].length });
  const group = (match: RegExpExecArray): Span | undefined => {
    const text = match[1]?.trim();
    if (!text) return undefined;
    const start = offset + match[0].length - match[1]!.length + (match[1]!.length - match[1]!.trimStart().length);
    return { start, end: start + text.length };
  };

  if (AGE_QUESTION.test(opening)) return { type: 'age' };
  const duration = DURATION_QUESTION.exec(opening);
  if (duration) return { type: 'duration', typeWords: whole(duration) };
  const quantity = QUANTITY_QUESTION.exec(opening);
  if (quantity) return { type: 'quantity', focus: group(quantity) };
  if (TOLL_QUESTION.test(opening)) return { type: 'quantity' };
  if (FUTURE_QUESTION.test(opening)) return { type: 'future' };
  if (TIME_QUESTION.test(opening)) return { type: 'time' };
  const timeNoun = TIME_NOUN_QUESTION.exec(opening);
  if (timeNoun) return { type: 'time', typeWords: whole(timeNoun) };
  if (SPEECH_QUESTION.test(opening)) return { type: 'speech' };
  if (REASON_QUESTION.test(opening)) return { type: 'reason' };
  if (PLACE_QUESTION.test(opening)) return { type: 'place' };
  const placeNoun = PLACE_NOUN_QUESTION.exec(opening);
  if (placeNoun) return { type: 'place', typeWords: whole(placeNoun) };
  const identity = IDENTITY_QUESTION.exec(opening);
  // "Who is Charles Michel?" names someone already: any passage about them will do.
  if (identity && !isName(opening.slice(identity[0].length))) return { type: 'identity' };
  const what = WHAT_IS_QUESTION.exec(opening);
  if (what) return { focus: group(what) };
  return {};
}

const NUMBER_WORD = /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|dozens?)$/i;
const NUMBER = /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|dozens?)\b/i;
const TIME =
  /\b(?:1[5-9]\d\d|20\d\d|jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|ago|spring|summer|fall|autumn|winter|(?:this|last|next) (?:week|month|year))\b/i;
/** Words that put an event in the future: "will meet", "next month", "is expected to". */
const FUTURE =
  /\b(?:will|shall|next|upcoming|coming (?:days|weeks|months)|tomorrow|(?:is|are) (?:due|expected|scheduled|set|planned|going) to|plans? to|later this)\b/i;
const DURATION = /\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)[\s-]+(?:days?|weeks?|months?|years?|decades?)\b|\bsince (?:1[5-9]\d\d|20\d\d)\b|\bdecades\b/i;
const AGE = /\b(?:\d+|[a-z]+-[a-z]+)[\s-]+years?[\s-]+old\b|\baged? \d+\b|\bborn\b/i;
/** Reported speech: a verb of saying or of voicing a view, or a quotation. */
const SPEECH =
  /["“”«»]|\b(?:say|says|said|saying|tell|tells|told|stated?|states|claim(?:s|ed)?|noted?|notes|insist(?:s|ed)?|underlined?|underlines|stress(?:es|ed)?|add(?:s|ed|ing)|warn(?:s|ed)?|accus(?:e|es|ed)|announc(?:e|es|ed)|comment(?:s|ed)?|remark(?:s|ed)?|repl(?:y|ies|ied)|vow(?:s|ed)?|promis(?:e|es|ed)|thank(?:s|ed)?|argu(?:e|es|ed)|critici[sz](?:e|es|ed|ing)|rais(?:e|es|ed|ing) concerns?|call(?:s|ed)? (?:for|on)|urg(?:e|es|ed)|ask(?:s|ed)|demand(?:s|ed)|dismiss(?:es|ed)|den(?:y|ies|ied)|express(?:es|ed)|describ(?:e|es|ed)|quot(?:e|es|ed))\b/i;
/** Words that give a cause, or a circumstance that explains: "because", "distracted by", "following". */
const REASON =
  /\b(?:because|since|as a result|due to|owing to|thanks to|following|amid|after|so that|therefore|hence|caused|led to|leading to|distracted|in order to|in response to)\b|\bas\b(?= \w+ (?:grows?|grew|is|was|are|were|has|had)\b)/i;

/** A place as news names it: a preposition of place before a capitalised name ("in Geneva", "near Karabakh"). */
const PLACE = /\b(?:in|at|near|to|from|outside|inside|across|on|of)\s+(?:the\s+)?(?:[\p{L}-]+\s+){0,3}?\p{Lu}/u;

/**
 * A passage as the answer checks see it: its text, its terms, and which of the question's
 * concepts (numbered 0…count-1) each term stands for.
 */
export interface PassageView {
  readonly text: string;
  readonly terms: readonly Term[];
  conceptsOf(term: string): readonly number[];
  readonly conceptCount: number;
  /** The concepts the question's focus words stand for. */
  readonly focus: ReadonlySet<number>;
  /** Whether the passage (any of its fields) matches a concept. */
  matches(concept: number): boolean;
  /** The question's own term for a concept (other matching terms are its synonyms or typos). */
  ownTerm(concept: number): string | undefined;
}

/** Whether a passage can answer a question of this shape. */
export function fitsShape(shape: QuestionShape, view: PassageView): boolean {
  if (shape.type && !containsAnswerType(view, shape.type)) return false;
  if (view.focus.size === 0) return true;
  if (shape.type === 'quantity') return countsFocus(view);
  return [...view.focus].some((c) => view.matches(c));
}

function containsAnswerType(view: PassageView, type: AnswerType): boolean {
  const { text } = view;
  switch (type) {
    case 'quantity':
      return NUMBER.test(text);
    case 'time':
      return TIME.test(text);
    case 'future':
      return TIME.test(text) && FUTURE.test(text);
    case 'duration':
      return DURATION.test(text);
    case 'age':
      return AGE.test(text);
    case 'speech':
      return SPEECH.test(text);
    case 'reason':
      return REASON.test(text);
    case 'place':
      return PLACE.test(text);
    case 'identity':
      return namesRoleHolder(view);
  }
}

/** The concepts each token of the passage stands for. */
function tokenConcepts(view: PassageView): { tokens: Token[]; concepts: Set<number>[]; byOtherTerm: Set<number>[] } {
  const tokens = tokenize(view.text);
  const concepts = tokens.map(() => new Set<number>());
  const byOtherTerm = tokens.map(() => new Set<number>());
  for (const t of view.terms) {
    const found = view.conceptsOf(t.term);
    if (found.length === 0) continue;
    // Tokens are in text order: find the first that ends after the term starts.
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tokens[mid] as Token).end <= t.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tokens.length && (tokens[i] as Token).start < t.end; i++) {
      for (const c of found) {
        concepts[i]?.add(c);
        // One word standing for the concept: a name, not a phrase like "Russian president".
        if (view.ownTerm(c) !== t.term && !t.term.includes(PHRASE_JOINER)) byOtherTerm[i]?.add(c);
      }
    }
  }
  return { tokens, concepts, byOtherTerm };
}

/** A number followed closely by what the question counts: "286 people", "a force of 2,000 peacekeepers". */
function countsFocus(view: PassageView): boolean {
  const { tokens, concepts } = tokenConcepts(view);
  const isNumber = (t: Token) => /^\p{N}/u.test(t.raw) || NUMBER_WORD.test(t.raw);
  for (let i = 0; i < tokens.length; i++) {
    if (!isNumber(tokens[i] as Token)) continue;
    for (let j = i + 1; j <= i + 3 && j < tokens.length; j++) {
      if ([...(concepts[j] as Set<number>)].some((c) => view.focus.has(c))) return true;
    }
  }
  return false;
}

/** Words that may sit inside a role: "prime minister of Armenia", "Armenia's foreign minister". */
const ROLE_GLUE = new Set(['of', 'the', 'and', 'a']);

/**
 * Whether the text names someone by the role the question asks about, as news writes it: the
 * role right before a capitalised name ("Armenian Prime Minister Nikol Pashinian") or after a
 * name and a comma ("Nikol Pashinian, Armenia's prime minister"). The role's words must all be
 * the question's and all of the question's must be in it. Or the glossary knows the holder: a
 * name standing for the whole role ("Erdoğan" for "the Turkish president").
 */
function namesRoleHolder(view: PassageView): boolean {
  if (view.conceptCount === 0) return true;
  const { tokens, concepts, byOtherTerm } = tokenConcepts(view);
  // A name the glossary gives for the whole role: "Erdoğan" for "the Turkish president".
  for (let i = 0; i < tokens.length; i++) {
    if (/^\p{Lu}/u.test(tokens[i]?.raw ?? '') && byOtherTerm[i]?.size === view.conceptCount) return true;
  }
  const isName = (i: number) => /^\p{Lu}/u.test(tokens[i]?.raw ?? '') && concepts[i]?.size === 0;
  const coversAll = (from: number, step: 1 | -1): boolean => {
    const seen = new Set<number>();
    for (let i = from, n = 0; i >= 0 && i < tokens.length && n < view.conceptCount + 3; i += step, n++) {
      const own = concepts[i] as Set<number>;
      if (own.size === 0 && !ROLE_GLUE.has(tokens[i]?.folded ?? '')) break;
      for (const c of own) seen.add(c);
      if (seen.size === view.conceptCount) return true;
    }
    return false;
  };
  for (let i = 1; i < tokens.length; i++) {
    if (!isName(i)) continue;
    if ((concepts[i - 1]?.size ?? 0) > 0 && coversAll(i - 1, -1)) return true;
    // Apposition: the name's last word, a comma, then the role.
    let last = i;
    while (isName(last + 1)) last++;
    const gap = view.text.slice(tokens[last]?.end ?? 0, tokens[last + 1]?.start ?? 0);
    if (/^\s*,\s*$/.test(gap) && coversAll(last + 1, 1)) return true;
  }
  return false;
}

/** Whether every word of a phrase is capitalised: "Charles Michel", not "Azerbaijan's foreign minister". */
function isName(phrase: string): boolean {
  const words = phrase.replace(/^(?:the|a|an)\s+/i, '').match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? [];
  return words.length > 0 && words.every((w) => /^\p{Lu}/u.test(w));
}
