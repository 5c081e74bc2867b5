/**
 * Node's options for a child process that runs this project's TypeScript rather than the bundle
 * (development, the tests, the sharded runtime): tsx's loader, resolved from here so that any
 * working folder works.
 */
export function typescriptExecArgv(): string[] {
  return ['--import', import.meta.resolve('tsx')];
}

/**
 * The entry point of a child process, seen from the module at `moduleUrl`: `source` (relative to
 * that module) when it runs from its TypeScript source under tsx, or `<bundled>.mjs` beside it
 * when it runs bundled (scripts/build.ts writes every entry of a bundle side by side). Only an
 * entry module may ask: its bundled file is the entry's own, never a shared chunk.
 */
export function childEntry(moduleUrl: string, source: string, bundled: string): URL {
  return new URL(isTypeScript(moduleUrl) ? source : `./${bundled}.mjs`, moduleUrl);
}

/** Whether a module (or an entry) is TypeScript source, run under tsx. */
export function isTypeScript(url: string | URL): boolean {
  return (typeof url === 'string' ? url : url.pathname).endsWith('.ts');
}
