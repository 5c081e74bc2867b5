import v8 from 'node:v8';

/**
 * Imported first by the bot's entry points (and the benchmark's processes that stand in for the
 * bot), before anything allocates.
 *
 * V8 decides per allocation site whether to allocate objects directly in the old generation
 * ("pretenuring"), from the share of them found alive by a young-generation collection. One that
 * lands in the middle of a search finds hundreds of MiniSearch's result objects alive and marks
 * their sites tenured; from then on every search's results are born in the old generation and
 * pile up there as garbage until the next full collection. In 7 starts of 18, a process
 * answering the benchmark's 1,000 questions over the large corpus peaked at 280–375 MB of
 * resident memory instead of about 205 MB (`--trace-pretenuring-statistics` shows five sites flipping to
 * "tenure" at a survival ratio of 1.0 and staying there at 0.1). Without pretenuring, ten starts
 * in ten peaked at 204–210 MB. The long-lived data (the saved index) is deserialized by V8's
 * serializer, which pretenuring does not concern, so nothing is lost. V8 reads the flag at each
 * collection, so setting it at start-up takes effect.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');
