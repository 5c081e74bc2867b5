import { readFileSync } from 'node:fs';
import { projectPath } from '../../src/projectRoot.ts';
import type { Answer } from '../../src/search/ask.ts';

export type QuestionKind = 'direct' | 'paraphrase' | 'variant' | 'typo' | 'date' | 'unanswerable';

export interface EvalQuestion {
  readonly question: string;
  readonly kind: QuestionKind;
  /** Paragraph numbers of the summit article that answer it; empty when the article does not. */
  readonly answers: readonly number[];
}

export const SUMMIT_DOCUMENT = 'sochi-summit-2022-10-31';

export function loadEvalQuestions(): EvalQuestion[] {
  // From the project root: the benchmark runs this module bundled into dist/bench/.
  const file = projectPath('tests', 'eval', 'questions.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { questions: EvalQuestion[] }).questions;
}

export interface EvalReport {
  readonly answerable: number;
  readonly unanswerable: number;
  readonly hit1: number;
  readonly hit3: number;
  /** Share of unanswerable questions the bot declined. */
  readonly abstention: number;
  /** Share of answerable questions the bot wrongly declined. */
  readonly wrongAbstention: number;
  readonly failures: readonly { question: string; kind: QuestionKind; expected: readonly number[]; got: string[]; answered: boolean }[];
}

/** Scores answers against the set: hit@k counts an excerpt from any answering passage. */
export function evaluate(questions: readonly EvalQuestion[], answer: (q: string) => Answer): EvalReport {
  let hit1 = 0;
  let hit3 = 0;
  let abstained = 0;
  let wrongAbstained = 0;
  const failures: EvalReport['failures'][number][] = [];
  const answerable = questions.filter((q) => q.answers.length > 0);
  const unanswerable = questions.filter((q) => q.answers.length === 0);
  for (const q of questions) {
    const result = answer(q.question);
    const got = result.excerpts.map((e) => e.passage);
    const expected = new Set(q.answers.map((n) => `${SUMMIT_DOCUMENT}#${n}`));
    if (q.answers.length === 0) {
      if (!result.answered) abstained++;
      else failures.push({ question: q.question, kind: q.kind, expected: q.answers, got, answered: true });
      continue;
    }
    if (!result.answered) wrongAbstained++;
    const top1 = got.slice(0, 1).some((id) => expected.has(id));
    const top3 = got.slice(0, 3).some((id) => expected.has(id));
    if (top1) hit1++;
    if (top3) hit3++;
    if (!top1) failures.push({ question: q.question, kind: q.kind, expected: q.answers, got, answered: result.answered });
  }
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hit1: hit1 / answerable.length,
    hit3: hit3 / answerable.length,
    abstention: abstained / unanswerable.length,
    wrongAbstention: wrongAbstained / answerable.length,
    failures,
  };
}

export function formatReport(report: EvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `answerable ${report.answerable}, unanswerable ${report.unanswerable}`,
    `hit@1 ${pct(report.hit1)}  hit@3 ${pct(report.hit3)}  abstention ${pct(report.abstention)}  wrong abstentions ${pct(report.wrongAbstention)}`,
  ].join('\n');
}
