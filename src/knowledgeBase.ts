import { loadCorpus, type Corpus } from './corpus/loadCorpus.ts';
import type { Document, Passage } from './corpus/types.ts';
import { Analyzer } from './search/analyzer.ts';
import { ask, type Answer } from './search/ask.ts';
import { PassageIndex } from './search/passageIndex.ts';

/**
 * The corpus, validated and indexed: everything the commands answer from. Plain data in, plain
 * data out; no transport knows more than this.
 */
export class KnowledgeBase {
  readonly corpus: Corpus;
  readonly index: PassageIndex;

  constructor(corpus: Corpus) {
    this.corpus = corpus;
    this.index = new PassageIndex(corpus.documents, new Analyzer(corpus.glossary));
  }

  static async open(dir: string): Promise<KnowledgeBase> {
    return new KnowledgeBase(await loadCorpus(dir));
  }

  get documents(): readonly Document[] {
    return this.corpus.documents;
  }

  ask(question: string): Answer {
    return ask(this.index, question);
  }

  passage(id: string): Passage | undefined {
    return this.index.passages.get(id);
  }

  documentOf(passage: Passage): Document {
    return this.index.documentOf(passage);
  }
}
