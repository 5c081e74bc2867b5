import { CorpusErrors } from './errors.ts';
import { parseYaml, zodIssuesToCorpusErrors } from './frontMatter.ts';
import { glossarySchema, type GlossaryData } from './schema.ts';

export type Glossary = GlossaryData;

export function emptyGlossary(): Glossary {
  return { aliases: [], synonyms: [] };
}

/** Parses `glossary.yaml` (or JSON, which YAML reads too) and validates it like an article. */
export function parseGlossary(text: string, file: string): Glossary {
  const { value, lineOf } = parseYaml(text, file, 1);
  const parsed = glossarySchema.safeParse(value ?? {});
  if (!parsed.success) throw new CorpusErrors(zodIssuesToCorpusErrors(parsed.error, file, value, lineOf, 1));
  return parsed.data;
}
