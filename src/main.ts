import { runConsole } from './console/console.ts';

// The local console needs no configuration; the Discord transports will branch off here once
// they exist, so nothing else belongs in this file.
process.exitCode = await runConsole({ corpusDir: 'corpus' });
