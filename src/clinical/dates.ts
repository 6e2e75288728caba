/**
 * Dates as day numbers (days since 1970-01-01, UTC calendar). FHIR dates are read as written: the
 * calendar date of a dateTime is its first ten characters (the local date of the record), and a
 * partial date ("2019", "2019-05") means its first day. Nothing here reads the clock.
 */

import { Memo } from "./memo";

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

export interface Day {
  /** Days since 1970-01-01. */
  n: number;
  /** YYYY-MM-DD. */
  iso: string;
}

/** Day (or null: no such date) by YYYYMMDD as a number (memo.ts): one Day per calendar date. */
const DAYS = new Memo<number, Day | null>(100_000);

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * Parse a FHIR date, dateTime or instant; null when it is not one. Hot path: a full date is read
 * from its character codes into a number key, so no string is sliced or hashed per call.
 */
export function parseDay(value: unknown): Day | null {
  if (typeof value !== "string") return null;
  if (value.length >= 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) {
    const y0 = digit(value, 0),
      y1 = digit(value, 1),
      y2 = digit(value, 2),
      y3 = digit(value, 3);
    const m0 = digit(value, 5),
      m1 = digit(value, 6),
      d0 = digit(value, 8),
      d1 = digit(value, 9);
    if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) >= 0) {
      const k = (((y0 * 10 + y1) * 10 + y2) * 10 + y3) * 10000 + (m0 * 10 + m1) * 100 + (d0 * 10 + d1);
      const hit = DAYS.get(k);
      if (hit !== undefined) return hit;
      const day = parseDayUncached(value.slice(0, 10));
      DAYS.set(k, day);
      return day;
    }
  }
  // A partial date ("2019", "2019-05") or no date: rare, not worth remembering.
  return parseDayUncached(value);
}

/**
 * Days since 1970-01-01 of a calendar date: a whole number (a UTC midnight is a whole number of
 * days), which `| 0` hands to V8 as a small integer rather than a boxed double, so reading `day.n`
 * never allocates. A date out of Date's range stays NaN.
 */
function dayNumber(y: number, m: number, d: number): number {
  const n = Date.UTC(y, m - 1, d) / 86_400_000;
  return n === (n | 0) ? n | 0 : n;
}

function parseDayUncached(value: string): Day | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : 1;
  const d = m[3] ? Number(m[3]) : 1;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return Object.freeze({ n: dayNumber(y, mo, d), iso: `${m[1]}-${pad(mo)}-${pad(d)}` });
}

/** A strict YYYY-MM-DD (for asOf). */
export function parseIsoDate(value: string): Day | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseDay(value) : null;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function dayFromParts(y: number, m: number, d: number): Day {
  const clamped = Math.min(d, daysInMonth(y, m));
  return { n: dayNumber(y, m, clamped), iso: `${y}-${pad(m)}-${pad(clamped)}` };
}

/** The day `months` calendar months before `day` (day of month clamped: Mar 31 - 1 month = Feb 28/29). */
export function monthsBefore(day: Day, months: number): Day {
  const y = Number(day.iso.slice(0, 4));
  const m = Number(day.iso.slice(5, 7));
  const d = Number(day.iso.slice(8, 10));
  const total = y * 12 + (m - 1) - months;
  return dayFromParts(Math.floor(total / 12), (total % 12) + 1, d);
}

/** Whole years from `from` to `to` (an age; negative spans give negative years). */
export function wholeYears(from: Day, to: Day): number {
  const fy = Number(from.iso.slice(0, 4));
  const ty = Number(to.iso.slice(0, 4));
  const fmd = from.iso.slice(5);
  const tmd = to.iso.slice(5);
  return ty - fy - (tmd < fmd ? 1 : 0);
}

/** Add a possibly fractional number of years, by whole months (onsetAge of 12.5 a = 150 months). */
export function addMonths(day: Day, months: number): Day {
  return monthsBefore(day, -Math.round(months));
}
