import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CorpusError, CorpusErrors } from '../corpus/errors.ts';
import { KnowledgeBase } from '../knowledgeBase.ts';
import { DEFAULT_CACHE_DIR } from '../search/persistedIndex.ts';
import { isTypeScript, typescriptExecArgv } from './typescriptChild.ts';

/**
 * Rebuilding an index is seconds of CPU for a large corpus (about 5 s for 2,226 articles), and
 * in the bot's process every one of those milliseconds would hold up every interaction. So a
 * child process builds it and saves it to the index cache, and the bot then opens it from there,
 * which costs only reading the saved index. A child that crashes or runs out of memory takes
 * only itself down.
 *
 * Whatever goes wrong with the child (it cannot start, it dies, its index cannot be saved), the
 * result is still right: the knowledge base is then built in this process, as without a child.
 * An invalid corpus is reported with the same CorpusErrors as an in-process load.
 */

/** What the child reports. */
export type ChildReport =
  | { readonly kind: 'built'; readonly documents: number; readonly passages: number; readonly saved: boolean; readonly problems: readonly string[] }
  | { readonly kind: 'invalid'; readonly errors: readonly { readonly file: string; readonly line: number | null; readonly reason: string }[] }
  | { readonly kind: 'failed'; readonly message: string };

export interface ChildProcessOptions {
  /** The child's entry: `dist/indexChild.mjs` in the bundle, `src/runtime/indexChild.ts` under tsx. */
  readonly entry: URL;
  readonly cacheDir?: string;
  readonly logger: { warn(details: object, message: string): void };
  /** A child that has not reported by then is stopped, and the index built here instead. */
  readonly timeoutMs?: number;
  /** Stops the child, and rejects with an AbortError: nobody wants the index any more. */
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** Opens the corpus in `dir` with its index built in a child process (see above). */
export async function openInChildProcess(dir: string, options: ChildProcessOptions): Promise<KnowledgeBase> {
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  let report: ChildReport;
  try {
    report = await runChild(options.entry, [dir, cacheDir], options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal);
  } catch (error) {
    options.signal?.throwIfAborted();
    report = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (report.kind === 'invalid') {
    throw new CorpusErrors(report.errors.map((e) => new CorpusError(e.file, e.line ?? undefined, e.reason)));
  }
  if (report.kind === 'failed') {
    options.logger.warn({ dir, reason: report.message }, 'the index could not be built in a child process; building it here');
  } else if (!report.saved) {
    options.logger.warn({ dir, problems: report.problems }, 'the child process could not save the index; building it here');
  }
  // From the saved index when the child saved it and the corpus has not changed since; built
  // here otherwise. Either way the result is the corpus as it is now.
  return KnowledgeBase.open(dir, { cacheDir });
}

function runChild(entry: URL, args: readonly string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<ChildReport> {
  const child = fork(fileURLToPath(entry), args, {
    // Under tsx (development, tests) the child is TypeScript too; the bundle is plain JavaScript.
    execArgv: isTypeScript(entry) ? typescriptExecArgv() : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    timeout: timeoutMs,
    ...(signal ? { signal } : {}),
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
  return new Promise((resolve, reject) => {
    let report: ChildReport | undefined;
    child.on('message', (message: ChildReport) => (report = message));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report) resolve(report);
      else reject(new Error(`the child exited (${signal ?? `code ${code}`}) without a report${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
}
