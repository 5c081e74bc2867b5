import { defineCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatPassage } from '../format.ts';
import { write } from '../io.ts';
import { passageJson, toJsonOutput } from '../json.ts';
import { PASSAGE_REF_FORMS, parsePassageRef, resolvePassageRef } from '../passageRef.ts';

export const quoteCommand = defineCommand({
  usage: ['quote <N | ¶N | passage-id> [--json]'],
  summary: 'print one whole passage with its citation',
  details: [
    `<passage>      ${PASSAGE_REF_FORMS}`,
    '               a bare number needs a corpus of one article',
    '--json         print {"passage","citation","text","document","kind","section"}',
  ],
  options: {
    json: { type: 'boolean', default: false },
  },
  async run({ name, values, positionals, io, openKnowledgeBase }) {
    const [reference, ...extra] = positionals;
    if (reference === undefined) throw new UsageError(`${name}: missing passage: give ${PASSAGE_REF_FORMS}`);
    if (extra.length > 0) throw new UsageError(`${name}: one passage at a time (got ${positionals.length})`);
    // The form is checked first: a typo is reported even when the corpus cannot be loaded.
    const ref = parsePassageRef(reference);

    const kb = await openKnowledgeBase();
    const passage = resolvePassageRef(ref, kb.documents);
    await write(io.stdout, values.json ? toJsonOutput(passageJson(passage)) : formatPassage(passage, kb.documentOf(passage), io.style));
  },
});
