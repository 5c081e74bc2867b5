/**
 * Bundles an entry point into plain JavaScript for Node, so that the bot starts without tsx.
 *
 * Why: tsx compiles TypeScript at start-up through a loader thread, which costs about 0.3 s of
 * every start (more on a busy machine), and start to first answer is budgeted at 1 s. esbuild
 * bundles the whole program in a fraction of a second, with dependencies left in node_modules
 * and each dynamic import in its own chunk, so a process still loads only what it uses (the
 * console never loads discord.js). Source maps keep stack traces pointing at the TypeScript.
 *
 *   tsx scripts/build.ts            builds the bot: dist/main.mjs
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../src/projectRoot.ts';

/** The bot's entry point and where its bundle goes; `npm start` runs `dist/main.mjs`. */
export const BOT_ENTRY = { entry: path.join(PROJECT_ROOT, 'src', 'main.ts'), outdir: path.join(PROJECT_ROOT, 'dist') } as const;

/**
 * Bundles `entry` into `outdir/<name>.mjs` (with chunks beside it) and returns that file. The
 * folder must lie inside the project: the bundle finds the project's files (corpus, fonts,
 * saved indexes) by looking upward for package.json.
 */
export async function bundle(entry: string, outdir: string): Promise<string> {
  if (path.relative(PROJECT_ROOT, outdir).startsWith('..')) throw new Error(`${outdir} is outside the project`);
  await build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'esm',
    splitting: true,
    packages: 'external',
    sourcemap: 'linked',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
  return path.join(outdir, `${path.basename(entry, path.extname(entry))}.mjs`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bundle(BOT_ENTRY.entry, BOT_ENTRY.outdir);
}
