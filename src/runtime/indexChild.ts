/**
 * The child process of `openInChildProcess`: opens the corpus folder in argv[2] with the saved
 * index folder in argv[3], which builds the index and saves it when the saved one is not current,
 * and reports the outcome to its parent over IPC. Nothing else: the parent reads the saved index.
 */
import { CorpusErrors } from '../corpus/errors.ts';
import { KnowledgeBase } from '../knowledgeBase.ts';
import type { ChildReport } from './indexInChildProcess.ts';

const [dir, cacheDir] = process.argv.slice(2);
// The parent is gone (it crashed, or was killed): nobody will read the report, so stop building.
const orphaned = () => process.exit(1);
process.on('disconnect', orphaned);

async function build(): Promise<ChildReport> {
  if (!dir || !cacheDir || !process.send) return { kind: 'failed', message: 'usage: indexChild <corpus folder> <cache folder>, forked with IPC' };
  const problems: string[] = [];
  try {
    const kb = await KnowledgeBase.open(dir, { cacheDir, onCacheProblem: (message) => problems.push(message) });
    return { kind: 'built', documents: kb.documents.length, passages: kb.index.passageCount, saved: kb.origin?.savedBytes !== undefined || kb.loadedFromCache, problems };
  } catch (error) {
    if (error instanceof CorpusErrors) {
      return { kind: 'invalid', errors: error.errors.map((e) => ({ file: e.file, line: e.line ?? null, reason: e.reason })) };
    }
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

const report = await build();
if (process.send && process.connected) {
  process.off('disconnect', orphaned);
  process.send(report, () => process.disconnect());
} else {
  process.stderr.write(`${JSON.stringify(report)}\n`);
  process.exitCode = 2;
}
