/**
 * News writes time relative to the day it is published: "last month", "on Monday", "two years
 * ago". A reader asks in calendar terms ("the September clashes", "in 2020"). This resolves the
 * common relative expressions against the article's publication date into the calendar words a
 * reader would use, which are indexed beside the passage's own words.
 *
 * Deliberately small and predictable: only expressions whose meaning does not depend on more
 * than the publication date. "Recently" or "a month after the clashes" are left alone.
 */

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12,
};

const RELATIVE =
  /\b(last|this|next|past) (week|month|year)\b|\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (years?|months?) ago\b|\b(yesterday|today|tomorrow)\b|\b(?:on|last|this|next) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi;

/** Calendar words ("September 2022") for the relative time expressions of `text`. */
export function resolveRelativeDates(text: string, published: string): string[] {
  const base = parseIsoDate(published);
  if (!base) return [];
  const out = new Set<string>();
  const month = (year: number, index: number) => {
    const d = new Date(Date.UTC(year, index, 1));
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  };
  const day = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
  const shiftDays = (days: number) => new Date(base.getTime() + days * 86_400_000);
  const y = base.getUTCFullYear();
  const m = base.getUTCMonth();

  for (const match of text.matchAll(RELATIVE)) {
    const [, which, unit, count, countUnit, deictic, weekday] = match;
    if (which && unit) {
      const step = { last: -1, past: -1, this: 0, next: 1 }[which.toLowerCase() as 'last' | 'past' | 'this' | 'next'];
      const u = unit.toLowerCase();
      if (u === 'month') out.add(month(y, m + step));
      else if (u === 'year') out.add(String(y + step));
      else out.add(month(shiftDays(7 * step).getUTCFullYear(), shiftDays(7 * step).getUTCMonth()));
    } else if (count && countUnit) {
      const n = NUMBER_WORDS[count.toLowerCase()] ?? Number(count);
      if (countUnit.toLowerCase().startsWith('year')) out.add(String(y - n));
      else out.add(month(y, m - n));
    } else if (deictic) {
      const offset = { yesterday: -1, today: 0, tomorrow: 1 }[deictic.toLowerCase() as 'yesterday' | 'today' | 'tomorrow'];
      out.add(day(shiftDays(offset)));
    } else if (weekday) {
      // News means the nearest such day: a past one unless the text says "next".
      const target = WEEKDAYS.indexOf(weekday.toLowerCase() as (typeof WEEKDAYS)[number]);
      const future = /^next/i.test(match[0]);
      let delta = target - base.getUTCDay();
      if (future && delta <= 0) delta += 7;
      if (!future && delta > 0) delta -= 7;
      out.add(day(shiftDays(delta)));
    }
  }
  return [...out];
}

function parseIsoDate(iso: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Month names and four-digit years a text states outright: the time it is set in. */
export function statedDates(text: string): string[] {
  const found = text.match(/\b(?:1[89]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\b\.?/g);
  return found ? [...new Set(found)] : [];
}
