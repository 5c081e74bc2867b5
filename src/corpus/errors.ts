/**
 * A problem with a corpus file. It names the file, the line where it applies and what is wrong,
 * so an operator can fix the file without reading code. A corpus with any such problem is never
 * served half-loaded.
 */
export class CorpusError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(file: string, line: number | undefined, reason: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'CorpusError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** Several problems found at once: reported together so one run shows everything to fix. */
export class CorpusErrors extends Error {
  readonly errors: readonly CorpusError[];

  constructor(errors: readonly CorpusError[]) {
    super(
      errors.length === 1
        ? (errors[0]?.message ?? 'invalid corpus')
        : `${errors.length} problems in the corpus:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
    this.name = 'CorpusErrors';
    this.errors = errors;
  }
}
