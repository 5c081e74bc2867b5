import type { APIEmbed } from 'discord-api-types/v10';
import type { TextStyle } from '../cli/terminal.ts';
import type { MessagePayload } from '../discord/render.ts';

/**
 * A Discord message as terminal text, so the console shows what Discord would: the embed's
 * title, quoted body, fields and footer, the buttons by label, and whether only the invoker
 * would see it. Discord's Markdown becomes terminal styling.
 */
export function replyToText(payload: MessagePayload, style: TextStyle): string {
  const blocks: string[] = [];
  if (payload.content) blocks.push(markdownToText(payload.content, style));
  for (const embed of payload.embeds ?? []) blocks.push(embedToText(embed, style));
  const buttons = buttonLabels(payload);
  if (buttons.length) blocks.push(buttons.map((label) => `[${label}]`).join(' '));
  if (payload.flags !== undefined && (payload.flags & 64) !== 0) blocks.push('(only you would see this in Discord)');
  return blocks.join('\n\n');
}

function embedToText(embed: APIEmbed, style: TextStyle): string {
  const parts: string[] = [];
  if (embed.title) parts.push(style.bold(markdownToText(embed.title, style)));
  if (embed.description) parts.push(markdownToText(embed.description, style));
  for (const field of embed.fields ?? []) parts.push(`${style.bold(markdownToText(field.name, style))}\n${markdownToText(field.value, style)}`);
  if (embed.footer?.text) parts.push(`· ${embed.footer.text}`);
  return parts.join('\n\n');
}

function buttonLabels(payload: MessagePayload): string[] {
  const labels: string[] = [];
  for (const row of payload.components ?? []) {
    for (const component of (row as { components?: { label?: string; disabled?: boolean }[] }).components ?? []) {
      if (component.label) labels.push(component.disabled ? `${component.label} (disabled)` : component.label);
    }
  }
  return labels;
}

/**
 * The subset of Discord Markdown the bot writes: **bold**, _italic_, block quotes (`> `, `>>> `),
 * links, mentions and backslash escapes.
 */
export function markdownToText(markdown: string, style: TextStyle): string {
  let quoteRest = false;
  const lines = markdown.split('\n').map((line) => {
    let prefix = '';
    if (line.startsWith('>>> ')) {
      quoteRest = true;
      line = line.slice(4);
    } else if (line.startsWith('> ')) {
      prefix = '│ ';
      line = line.slice(2);
    }
    if (quoteRest && !line.startsWith('— ')) prefix = '│ ';
    else if (line.startsWith('— ')) quoteRest = false;
    return wrap(inline(line, style), style.width - prefix.length).map((l) => prefix + l).join('\n');
  });
  return lines.join('\n');
}

function inline(text: string, style: TextStyle): string {
  return text
    .replace(/\[([^\]]+)\]\(<?([^)>]+)>?\)/g, '$1 ($2)')
    .replace(/<@!?(\d+)>/g, '@$1')
    .replace(/\*\*((?:\\.|[^*])+?)\*\*/g, (_, inner: string) => style.bold(inner))
    .replace(/(^|[\s(])_((?:\\.|[^_])+?)_(?=$|[\s).,;:])/g, '$1$2')
    .replace(/(^|[\s(])\*((?:\\.|[^*])+?)\*(?=$|[\s).,;:])/g, '$1$2')
    .replace(/\\([\\*_~`|>#\-[\]()])/g, '$1')
    .replace(/@\u200b/g, '@');
}

// Built from a string: a literal escape character in a regex reads as a mistake to linters.
const ANSI_STYLE = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');

/** Wraps at spaces; ANSI codes take no columns. */
function wrap(text: string, width: number): string[] {
  if (width < 20) return [text];
  const visible = (s: string) => s.replace(ANSI_STYLE, '').length;
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && visible(line) + 1 + visible(word) > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(line);
  return out;
}
