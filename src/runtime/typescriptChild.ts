/**
 * Node's options for a child process that runs this project's TypeScript rather than the bundle
 * (development, the tests, the sharded runtime): tsx's loader, resolved from here so that any
 * working folder works.
 */
export function typescriptExecArgv(): string[] {
  return ['--import', import.meta.resolve('tsx')];
}
