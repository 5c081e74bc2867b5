import { defineCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { write } from '../io.ts';
import { formatCommandHelp, formatOverview } from '../usage.ts';

export const helpCommand = defineCommand({
  usage: ['help [command]'],
  summary: 'list the commands, or show how to call one',
  options: {},
  async run({ name, positionals, io, commands }) {
    const [topic, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`${name}: one command at a time`);
    if (topic === undefined) return write(io.stdout, formatOverview(commands));
    const command = Object.hasOwn(commands, topic) ? commands[topic] : undefined;
    if (!command) throw new UsageError(`${name}: unknown command "${topic}" (commands: ${Object.keys(commands).join(', ')})`);
    await write(io.stdout, formatCommandHelp(command));
  },
});
