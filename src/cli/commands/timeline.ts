import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KnowledgeBase } from '../../knowledgeBase.ts';
import type { TimelineEvent } from '../../timeline/types.ts';
import { defineCommand } from '../command.ts';
import { CliFailure, UsageError } from '../errors.ts';
import { formatTimeline } from '../format.ts';
import { write } from '../io.ts';
import { timelineJson, toJsonOutput } from '../json.ts';

/** DATE_FILTER_FORMAT, restated so that `help` does not load the timeline stack to show it. */
const DATE_FORMS = 'YYYY, YYYY-MM or YYYY-MM-DD';

export const timelineCommand = defineCommand({
  usage: ['timeline [--from DATE] [--to DATE] [--query WORDS] [--json] [--png FILE]'],
  summary: 'list the dated events of the article in date order, or draw them',
  details: [
    `--from DATE    earliest date shown (its first day); DATE is ${DATE_FORMS}`,
    '--to DATE      latest date shown (its last day); an event is kept if any day it covers',
    '               is in range: a month keeps the seasons and years around it',
    '--query WORDS  only events whose sentence matches these words, as ask matches them',
    '--json         print {"events":[{"date","precision","phrase","text","passage","citation",...}]}',
    '--png FILE     draw the events as a PNG picture in FILE and print the path written',
    '               (with --json the JSON goes to stdout and the path to stderr)',
    '               no event matching is a failure (exit 1): nothing is printed or drawn',
  ],
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    query: { type: 'string' },
    json: { type: 'boolean', default: false },
    png: { type: 'string' },
  },
  async run({ name, values, positionals, io, openKnowledgeBase }) {
    if (positionals.length > 0) {
      throw new UsageError(`${name}: takes no arguments (got "${positionals.join(' ')}"); filter words go after --query`);
    }
    if (values.query !== undefined && values.query.trim() === '') throw new UsageError(`${name}: --query needs words`);
    if (values.png !== undefined && values.png.trim() === '') throw new UsageError(`${name}: --png needs a file name`);
    // The timeline stack (chrono-node, the picture's native renderer) loads only for this command.
    const [{ queryTimeline }, { DateFilterError, parseDateFilter }] = await Promise.all([
      import('../../timeline/timelineQuery.ts'),
      import('../../timeline/timeline.ts'),
    ]);
    const query = { from: values.from, to: values.to, query: values.query };
    // Dates are checked before the corpus loads: a typo is reported even when the corpus is broken.
    try {
      const from = query.from === undefined ? undefined : parseDateFilter(query.from, '--from');
      const to = query.to === undefined ? undefined : parseDateFilter(query.to, '--to');
      if (from && to && from.start > to.end) throw new UsageError(`${name}: --from ${query.from ?? ''} is after --to ${query.to ?? ''}`);
    } catch (error) {
      if (error instanceof DateFilterError) throw new UsageError(`${name}: ${error.message}`);
      throw error;
    }

    const kb = await openKnowledgeBase();
    let events: TimelineEvent[];
    try {
      events = queryTimeline(kb, query);
    } catch (error) {
      if (error instanceof DateFilterError) throw new UsageError(`${name}: ${error.message}`);
      throw error;
    }
    if (events.length === 0) throw new CliFailure(describeNoEvents(query));

    if (values.png !== undefined) {
      const written = await writePicture(values.png, events, kb);
      if (!values.json) return write(io.stdout, `${written}\n`);
      await write(io.stderr, `${written}\n`);
    }
    if (values.json) return write(io.stdout, toJsonOutput(timelineJson(events)));
    const { formatEventDate } = await import('../../timeline/renderTimeline.ts');
    await write(io.stdout, formatTimeline(events, kb, io.style, formatEventDate));
  },
});

/** "No dated events from 2022-09 to 2022-09 matching "Geneva"": the filters, as given, for retrying wider. */
function describeNoEvents(query: { from?: string | undefined; to?: string | undefined; query?: string | undefined }): string {
  const filters = [
    query.from === undefined ? undefined : `from ${query.from}`,
    query.to === undefined ? undefined : `to ${query.to}`,
    query.query === undefined ? undefined : `matching "${query.query.trim()}"`,
  ].filter((part) => part !== undefined);
  if (filters.length === 0) return 'No dated events in the corpus';
  return `No dated events ${filters.join(' ')}; try a wider range or other words`;
}

/**
 * Draws the events and writes the PNG, returning the absolute path written. The picture is
 * rendered before the file is opened, so a failure leaves no half-written file behind.
 */
async function writePicture(file: string, events: readonly TimelineEvent[], kb: KnowledgeBase): Promise<string> {
  const { renderTimelinePng } = await import('../../timeline/renderTimeline.ts');
  const documentIds = new Set(events.map((event) => event.document));
  const [onlyDocument] = documentIds;
  const documentTitle = documentIds.size === 1 ? kb.documents.find((document) => document.id === onlyDocument)?.title : undefined;
  const png = renderTimelinePng(events, { title: 'Timeline', ...(documentTitle === undefined ? {} : { documentTitle }) });
  const target = path.resolve(file);
  try {
    await writeFile(target, png);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new CliFailure(`cannot write the picture to ${target}: ${describeWriteError(reason)}`);
  }
  return target;
}

function describeWriteError(code: string): string {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code;
  }
}
