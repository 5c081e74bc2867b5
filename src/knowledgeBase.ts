import { loadCorpus, type Corpus } from './corpus/loadCorpus.ts';
import type { Document, Passage } from './corpus/types.ts';
import { Analyzer } from './search/analyzer.ts';
import { ask, type Answer, type SearchContext } from './search/ask.ts';
import { EnglishFrequency } from './search/englishFrequency.ts';
import { PassageIndex } from './search/passageIndex.ts';

/**
 * The corpus, validated and indexed: everything the commands answer from. Plain data in, plain
 * data out; no transport knows more than this.
 */
export class KnowledgeBase implements SearchContext {
  readonly corpus: Corpus;
  readonly index: PassageIndex;
  readonly english: EnglishFrequency;

  constructor(corpus: Corpus, english: EnglishFrequency = sharedEnglishFrequency()) {
    this.corpus = corpus;
    this.english = english;
    this.index = new PassageIndex(corpus.documents, new Analyzer(corpus.glossary));
  }

  static async open(dir: string): Promise<KnowledgeBase> {
    return new KnowledgeBase(await loadCorpus(dir));
  }

  get documents(): readonly Document[] {
    return this.corpus.documents;
  }

  ask(question: string): Answer {
    return ask(this, question);
  }

  passage(id: string): Passage | undefined {
    return this.index.passages.get(id);
  }

  documentOf(passage: Passage): Document {
    return this.index.documentOf(passage);
  }
}

let englishFrequency: EnglishFrequency | undefined;

/** Loaded once per process: it is the same for every corpus, and a rebuild should not pay for it again. */
function sharedEnglishFrequency(): EnglishFrequency {
  englishFrequency ??= EnglishFrequency.load();
  return englishFrequency;
}
