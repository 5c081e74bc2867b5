import { spawn } from 'node:child_process';

/** How a child process ended, and everything it wrote. */
export interface ProcessRun {
  /** The exit code; null when a signal ended it (as the timeout does). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProcessOptions {
  readonly args?: readonly string[];
  /** The folder it runs in; this process's when left out. */
  readonly cwd?: string;
  /** Its whole environment; this process's when left out. */
  readonly env?: NodeJS.ProcessEnv;
  /** Written to its stdin, which is then closed: it reads end of input at once when left out. */
  readonly stdin?: string;
  /** Milliseconds before it is killed (SIGTERM). */
  readonly timeout: number;
}

/** Runs `command` to its end, as a shell would with its input piped in, and collects its output as UTF-8. */
export function runProcess(command: string, options: RunProcessOptions): Promise<ProcessRun> {
  const { args = [], cwd, env, stdin = '', timeout } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
