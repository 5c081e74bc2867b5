/**
 * Everything that depends on where output goes. Colour and wrapping are decided here, once, from
 * the stream and the environment; formatters only receive the resulting TextStyle.
 */
export interface TextStyle {
  /** Marks text as emphasised: ANSI bold on a colour terminal, unchanged otherwise. */
  readonly bold: (text: string) => string;
  /** Column to wrap prose at. */
  readonly width: number;
}

/** Wrapping width when output is not a terminal: stable output for pipes, files and tests. */
export const DEFAULT_WIDTH = 80;
/** Very wide terminals make prose hard to read; very narrow ones leave no room for the indent. */
const MIN_WIDTH = 40;
const MAX_WIDTH = 100;

const BOLD_ON = '\u001b[1m';
const BOLD_OFF = '\u001b[22m';

export interface OutputStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * ANSI styling only for a person at a terminal, and never when NO_COLOR is set to anything
 * non-empty (https://no-color.org): piped output stays plain text.
 */
export function colorEnabled(isTTY: boolean | undefined, noColor: string | undefined): boolean {
  return isTTY === true && (noColor === undefined || noColor === '');
}

export function textStyle(options: { color: boolean; width?: number }): TextStyle {
  return {
    bold: options.color ? (text) => `${BOLD_ON}${text}${BOLD_OFF}` : (text) => text,
    width: options.width ?? DEFAULT_WIDTH,
  };
}

/** The style for a real output stream (process.stdout), reading NO_COLOR from the environment. */
export function styleFor(stream: OutputStream): TextStyle {
  const width = stream.isTTY && stream.columns ? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, stream.columns)) : DEFAULT_WIDTH;
  return textStyle({ color: colorEnabled(stream.isTTY, readNoColor()), width });
}

function readNoColor(): string | undefined {
  // NO_COLOR is a terminal convention for whoever runs the tool, not bot configuration: it must
  // work without a .env file or Discord keys, so it is read here rather than through src/config.ts.
  // eslint-disable-next-line no-restricted-properties
  return process.env['NO_COLOR'];
}
