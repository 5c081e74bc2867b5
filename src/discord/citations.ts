import { hideLinkEmbed, hyperlink, italic } from '@discordjs/formatters';
import type { Document, Passage } from '../corpus/types.ts';
import { escapeCorpusText } from './render.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "31 Oct 2022" from YYYY-MM-DD: the same for every reader, whatever their locale. */
export function formatDay(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1] ?? ''} ${year}`;
}

/** What a reader sees under a quote: ¶27 · *Title* · 31 Oct 2022 · source (linked when the corpus has a URL). */
export function citationLine(passage: Pick<Passage, 'citation'>, document: Document): string {
  const parts = [passage.citation, italic(escapeCorpusText(document.title)), formatDay(document.published)];
  if (document.source) parts.push(escapeCorpusText(document.source));
  if (document.url) parts.push(hyperlink('source', hideLinkEmbed(document.url)));
  return parts.join(' · ');
}

/** The same without Markdown, for footers and autocomplete names. */
export function plainCitation(passage: Pick<Passage, 'citation'>, document: Document): string {
  return [passage.citation, document.title, formatDay(document.published), document.source].filter(Boolean).join(' · ');
}
