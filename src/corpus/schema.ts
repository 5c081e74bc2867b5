import { z } from 'zod';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD: 2022-02-30 is refused, not rolled into March. */
export const isoDateSchema = z.string().refine((value) => {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}, 'must be a real date written YYYY-MM-DD');

const text = z.string().trim().min(1, 'must not be empty');

/**
 * An article's front matter. Unknown keys are refused so that a misspelt key ("publised") is
 * reported instead of silently ignored.
 */
export const frontMatterSchema = z.strictObject({
  id: z.string().regex(SLUG, 'must be a lowercase slug: a-z, 0-9 and single hyphens'),
  title: text.max(300, 'must be at most 300 characters'),
  published: isoDateSchema,
  source: text.optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  credit: text.optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "en-GB"')
    .optional(),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

// YAML reads `1991` as a number; a glossary form is always text.
const form = z.preprocess(
  (value) => (typeof value === 'number' ? String(value) : value),
  z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
);
const group = z.array(form).min(2, 'a group needs at least two forms');

/**
 * The domain vocabulary, as data. `aliases` are names and spellings of the same thing (folded
 * together when indexing and searching); `synonyms` are words a reader may use for the article's
 * words (added to a question with a lower weight).
 */
export const glossarySchema = z.strictObject({
  aliases: z.array(group).default([]),
  synonyms: z.array(group).default([]),
});

export type GlossaryData = z.infer<typeof glossarySchema>;
