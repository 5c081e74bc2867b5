/**
 * The command line was wrong: an unknown command or option, a missing or malformed argument.
 * Exit status 2, one line on stderr, so a script can tell "I called it wrong" from "it failed".
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An expected failure that is not the caller's syntax: an unknown passage, an unreadable input.
 * Exit status 1 with the message alone; a stack trace would only hide the reason.
 */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
