/**
 * Time phrases in a question ("what did I save about tides last week?"), turned into a range
 * of local time so that search and chat can be limited to it. English only: the phrases are
 * matched by pattern, not understood, and another language needs its own patterns.
 *
 * A phrase is taken only when it cannot mean anything else. Month names count only with a
 * preposition ("in May", "since March") or a year ("May 2024"), because "may" and "march"
 * are verbs too; a bare year needs "in", "during" or "since". A question with two time
 * phrases is ambiguous and gets none.
 */

export interface DateRange {
  /** Inclusive start, ms since the epoch. */
  from: number;
  /** Exclusive end, ms since the epoch. */
  to: number;
}

export interface DatePhrase {
  range: DateRange;
  /** The phrase as written in the question, preposition included ("in March"). */
  phrase: string;
  /** The question without the phrase. */
  rest: string;
}

export interface DatePhraseOptions {
  /** The day weeks start on: 0 for Sunday, 1 for Monday (the default), … 6 for Saturday. */
  weekStartsOn?: number;
}

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
// Months that are also common English words need a preposition, a year or an ordinal day.
const WORD_MONTHS = new Set(['may', 'march', 'mar']);
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const NUMBER = `(\\d{1,3}|${NUMBER_WORDS.join('|')})`;
const PREP = '(?:\\b(in|during|since|on|from|within|over)\\s+)?';

interface Now {
  y: number;
  m: number;
  d: number;
  weekday: number;
}

/** Local midnight of a calendar day; day and month may overflow, as with the Date constructor. */
function day(y: number, m: number, d: number): number {
  return new Date(y, m, d).getTime();
}

function monthIndex(name: string): number {
  return MONTH_NAMES.findIndex((month) => month.startsWith(name.toLowerCase().replace(/\.$/, '').slice(0, 3)));
}

function numberValue(text: string): number {
  const word = NUMBER_WORDS.indexOf(text.toLowerCase());
  return word >= 0 ? word + 1 : Number.parseInt(text, 10);
}

/** A year someone could have saved a web page in: "March 1917" is history, not a filter. */
function plausibleYear(year: number): boolean {
  return year >= 1990 && year <= 2100;
}

function daysIn(y: number, m: number): number {
  return new Date(y, m + 1, 0).getDate();
}

/** The week starting `weeks` weeks after the week that starts at `start` (calendar days, so DST changes are no matter). */
function weekRange(start: number, weeks: number): DateRange {
  const date = new Date(start);
  const [y, m, d] = [date.getFullYear(), date.getMonth(), date.getDate() + 7 * weeks];
  return { from: day(y, m, d), to: day(y, m, d + 7) };
}

interface Candidate {
  start: number;
  end: number;
  range: DateRange;
}

type Build = (match: RegExpExecArray, prep: string | undefined) => DateRange | null;

function matchers(now: Now, weekStartsOn: number): [RegExp, Build][] {
  const today = day(now.y, now.m, now.d);
  const tomorrow = day(now.y, now.m, now.d + 1);
  const weekStart = day(now.y, now.m, now.d - ((now.weekday - weekStartsOn + 7) % 7));
  const dayRange = (y: number, m: number, d: number): DateRange => ({ from: day(y, m, d), to: day(y, m, d + 1) });
  /** "since X" runs from the start of X to the end of today. */
  const since = (range: DateRange | null, prep: string | undefined): DateRange | null =>
    range && prep?.toLowerCase() === 'since' ? (range.from < tomorrow ? { from: range.from, to: tomorrow } : null) : range;
  /** The most recent date with this month and day that is not in the future. */
  const recentDay = (m: number, d: number): DateRange | null => {
    for (let y = now.y; y >= now.y - 8; y--) {
      if (d <= daysIn(y, m) && day(y, m, d) <= today) return dayRange(y, m, d);
    }
    return null;
  };
  const datedDay = (m: number, d: number, year: string | undefined): DateRange | null => {
    if (m < 0 || d < 1) return null;
    if (year === undefined) return recentDay(m, d);
    const y = Number(year);
    return d <= daysIn(y, m) ? dayRange(y, m, d) : null;
  };
  const isPrep = (prep: string | undefined, ...allowed: string[]) => prep !== undefined && allowed.includes(prep.toLowerCase());

  return [
    [
      new RegExp(`${PREP}\\b(today|yesterday)(?:'s)?\\b`, 'gi'),
      (m, prep) => since(m[2].toLowerCase() === 'today' ? { from: today, to: tomorrow } : { from: day(now.y, now.m, now.d - 1), to: today }, prep),
    ],
    [
      new RegExp(`${PREP}\\b(this|last|previous)\\s+(week|month|year)(?:'s)?\\b`, 'gi'),
      (m, prep) => {
        const back = m[2].toLowerCase() === 'this' ? 0 : 1;
        const unit = m[3].toLowerCase();
        if (unit === 'week') return since(weekRange(weekStart, -back), prep);
        if (unit === 'month') return since({ from: day(now.y, now.m - back, 1), to: day(now.y, now.m - back + 1, 1) }, prep);
        return since({ from: day(now.y - back, 0, 1), to: day(now.y - back + 1, 0, 1) }, prep);
      },
    ],
    [
      // "last 7 days", "past 3 weeks", "in the last 2 months", "over the past week". Rolling
      // periods end today and start on the same day N units back, so nothing saved on the
      // boundary day is missed.
      new RegExp(`${PREP}\\b(the\\s+)?(last|past)\\s+(?:${NUMBER}\\s+)?(days?|weeks?|months?|years?)\\b`, 'gi'),
      (m, prep) => {
        const [, , the, word, count, unitText] = m;
        if (isPrep(prep, 'since')) return null;
        const unit = unitText.toLowerCase().replace(/s$/, '');
        const plural = unitText.toLowerCase().endsWith('s');
        // Without a number, "last week" is the calendar week (above); "the last week" and "past week" roll.
        if (count === undefined && (plural || (!the && word.toLowerCase() === 'last'))) return null;
        const n = count === undefined ? 1 : numberValue(count);
        if (!(n >= 1) || n > 1000 || (n > 1 && !plural)) return null;
        if (unit === 'day') return { from: day(now.y, now.m, now.d - n), to: tomorrow };
        if (unit === 'week') return { from: day(now.y, now.m, now.d - 7 * n), to: tomorrow };
        const months = unit === 'month' ? n : 12 * n;
        const target = new Date(now.y, now.m - months, 1);
        return { from: day(target.getFullYear(), target.getMonth(), Math.min(now.d, daysIn(target.getFullYear(), target.getMonth()))), to: tomorrow };
      },
    ],
    [
      // "on 3 March", "3rd of March 2024", "since the 3rd of March".
      new RegExp(`${PREP}\\b(?:the\\s+)?(\\d{1,2})(st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH}(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
      (m, prep) => {
        const [, , dayText, ordinal, monthText, year] = m;
        if (!isPrep(prep, 'on', 'since') && !year && !ordinal && WORD_MONTHS.has(monthText.toLowerCase().replace(/\.$/, ''))) return null;
        return since(datedDay(monthIndex(monthText), Number(dayText), year), prep);
      },
    ],
    [
      // "on March 3rd", "March 3, 2024", "since March 3".
      new RegExp(`${PREP}\\b${MONTH}\\s+(?:the\\s+)?(\\d{1,2})(st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, 'gi'),
      (m, prep) => {
        const [, , monthText, dayText, ordinal, year] = m;
        if (!isPrep(prep, 'on', 'since') && !year && !ordinal && WORD_MONTHS.has(monthText.toLowerCase().replace(/\.$/, ''))) return null;
        return since(datedDay(monthIndex(monthText), Number(dayText), year), prep);
      },
    ],
    [
      // "in March", "during May 2023", "March 2024", "since March". Not "March 3" (above).
      new RegExp(`${PREP}\\b${MONTH}(?:\\s+(?:of\\s+)?(\\d{4}))?\\b(?!\\s+(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?\\b(?!\\d))`, 'gi'),
      (m, prep) => {
        const [, , monthText, year] = m;
        if (!year && !isPrep(prep, 'in', 'during', 'since')) return null;
        if (year && !plausibleYear(Number(year))) return null;
        const month = monthIndex(monthText);
        // Without a year: the most recent such month that has begun.
        const y = year ? Number(year) : month <= now.m ? now.y : now.y - 1;
        return since({ from: day(y, month, 1), to: day(y, month + 1, 1) }, prep);
      },
    ],
    [
      new RegExp(`${PREP}\\b(\\d{4})\\b(?!\\s*[-/.:]\\s*\\d)`, 'gi'),
      (m, prep) => {
        const year = Number(m[2]);
        if (!isPrep(prep, 'in', 'during', 'since') || !plausibleYear(year)) return null;
        return since({ from: day(year, 0, 1), to: day(year + 1, 0, 1) }, prep);
      },
    ],
    [
      // "on Monday", "since Tuesday", "last Friday": the most recent one before today.
      new RegExp(`${PREP}\\b(last\\s+)?(${WEEKDAYS.join('|')})\\b`, 'gi'),
      (m, prep) => {
        if (!m[2] && !isPrep(prep, 'on', 'since')) return null;
        const back = (now.weekday - WEEKDAYS.indexOf(m[3].toLowerCase()) + 7) % 7 || 7;
        return since(dayRange(now.y, now.m, now.d - back), prep);
      },
    ],
  ];
}

function withoutPhrase(text: string, start: number, end: number): string {
  return `${text.slice(0, start)} ${text.slice(end)}`
    .replace(/\s+/g, ' ')
    .replace(/\s+([?.!,;:])/g, '$1')
    .replace(/[,;:]+([?.!])/g, '$1')
    .replace(/^[\s,;:]+|[\s,;:]+$/g, '')
    .trim();
}

/**
 * The one time phrase in `text`, as a range of local time relative to `now`, or null when
 * there is none or more than one.
 */
export function parseDatePhrase(text: string, now: Date, options: DatePhraseOptions = {}): DatePhrase | null {
  const weekStartsOn = options.weekStartsOn ?? 1;
  const current: Now = { y: now.getFullYear(), m: now.getMonth(), d: now.getDate(), weekday: now.getDay() };
  const candidates: Candidate[] = [];
  for (const [pattern, build] of matchers(current, weekStartsOn)) {
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const range = build(match, match[1]);
      if (range) candidates.push({ start: match.index, end: match.index + match[0].length, range });
      // A rejected match with a preposition may hide a valid one without it ("in may 3" → "may 3").
      pattern.lastIndex = range || match[1] === undefined ? match.index + match[0].length : match.index + match[1].length + 1;
    }
  }
  // Where phrases overlap ("in March 2024" and "March 2024"), the longest is the phrase.
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: Candidate[] = [];
  for (const candidate of candidates) {
    if (chosen.every((c) => candidate.end <= c.start || candidate.start >= c.end)) chosen.push(candidate);
  }
  if (chosen.length !== 1) return null;
  const [{ start, end, range }] = chosen;
  return { range, phrase: text.slice(start, end), rest: withoutPhrase(text, start, end) };
}

// Words that make a question about the act of saving or reading rather than about the
// content: "what did I save last week", "pages I read in March", "articles clipped today".
const SAVING = /\b(?:sav(?:e|ed|es|ing)|read|clip(?:s|ped|ping)?|download(?:s|ed|ing)?|bookmark(?:s|ed|ing)?|add(?:s|ed|ing)?|stor(?:e|ed|es|ing)|kept|visit(?:s|ed|ing)?|brows(?:e|ed|ing))\b/i;

// The person's own saving, not someone else's: "how much was saved in 2020" is about the content.
const FIRST_PERSON = /\b(?:i|i've|i'd|me|my|we|we've|our)\b/i;

/**
 * The period a question asks to search, or null when it asks none. A time phrase is taken
 * only beside the person's own saving or reading ("what did I save about tides last week?",
 * "pages I read in March"): in "what was the inflation rate in 2020?", "sales last year" or
 * "how many people visited Paris in 2019" the date is about the content, and the words must
 * stay in the search.
 */
export function questionPeriod(text: string, now: Date, options: DatePhraseOptions = {}): DatePhrase | null {
  const phrase = parseDatePhrase(text, now, options);
  if (!phrase || !SAVING.test(phrase.rest) || !FIRST_PERSON.test(phrase.rest)) return null;
  return phrase;
}
