/**
 * Negation and uncertainty, NegEx-style (§6 NEG): a trigger negates or hedges the words in its
 * scope, and the scope is the clause, cut short by a terminator ("but", "however", ...) or by a
 * comma that starts a new finding ("No fracture or dislocation, large calcific mass ..."). Pre-
 * triggers ("no", "without", "possible") reach forward, post-triggers ("excluded", "cannot be
 * excluded") reach back. Pseudo-triggers look like triggers and are not: "no significant change
 * in", "no interval change", "no increase in", "not only". Hedged words give `possible`, never a
 * diagnosis; negated words are not there.
 */

export type Polarity = "affirmed" | "negated" | "hedged";

/** Split into clauses at sentence ends (". " not inside "8.8"), "?", "!", ";" and new lines. */
export function clauses(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+|;/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Look like triggers, are not (masked before triggers are looked for). */
const PSEUDO_RE =
  /\b(?:no (?:significant |interval |appreciable |substantial |definite |major )?(?:change|increase|growth|progression|enlargement)s?(?: in| of)?|no further (?:change|increase|growth)|not only|not necessarily|not significantly (?:changed|increased|different)|without (?:significant |interval )?(?:change|increase|growth)|gram[- ]negative)\b/gi;

const HEDGE_PRE_RE =
  /\b(?:possibl[ey]|probabl[ey]|suspicious (?:for|of)|suspect(?:ed)?(?: for| of)?|suspicion (?:for|of)|differential(?: diagnos[ie]s)?(?: (?:includes?|of|is))?|ddx|questionabl[ey]|equivocal|(?:may|could|might) (?:represent|be)|can ?not exclude|to rule out|rule out|r\/o|query|suggestive of|suggesting|versus|vs|unclear|uncertain|not clear)\b/gi;
const HEDGE_POST_RE =
  /\b(?:can ?not be (?:excluded|ruled out)|(?:is |are )?not (?:excluded|ruled out)|(?:is|are) (?:suspected|questioned|possible|uncertain|equivocal)|questioned|versus|vs)\b|\?/gi;

const NEG_PRE_RE =
  /\b(?:no evidence of|no signs? of|negative for|absence of|free of|without|never|denies|denied|rather than|instead of|ruled out|resolved|no longer|nor|not|no)\b|\bnon-(?=\w)/gi;
const NEG_POST_RE =
  /\b(?:excluded|ruled out|not (?:seen|present|identified|found|demonstrated|visuali[sz]ed|detected|confirmed)|(?:has |have )?(?:since )?resolved|absent|disappeared)\b/gi;

/** Words that end a trigger's scope inside a clause. */
const TERMINATOR_RE = /\b(?:but|however|although|though|except|apart from|aside from|other than|whereas|while|nevertheless|yet)\b/i;
/** A comma segment that starts a new finding (an article, an adjective, a number) or has a verb of its own. */
const NEW_FINDING_START_RE =
  /^\s*(?:and\s+)?(?:there (?:is|are|was|were)|a|an|the|this|these|large|small|massive|multiple|several|extensive|marked|moderate|mild|severe|dense|densely|some|numerous|bulky|big|huge|coarse|focal|diffuse|new|known|polylobate|lobulated|\d)\b/i;
const NEW_FINDING_VERB_RE =
  /\b(?:is|are|was|were|seen|noted|identified|present|measur\w*|demonstrat\w*|shows?|showing|extend\w*|project\w*|surround\w*|appears?)\b|\d\s*(?:cm|mm)\b/i;
const LIST_END_RE = /\b(?:or|nor|and)\b/i;

interface Trigger {
  index: number;
  end: number;
}

function mask(text: string, re: RegExp): string {
  re.lastIndex = 0;
  return text.replace(re, (m) => " ".repeat(m.length));
}

function findAll(text: string, re: RegExp): Trigger[] {
  const out: Trigger[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ index: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** The comma segment that starts at `from` (after a comma), up to the next comma or the clause end. */
function segmentAfter(clause: string, from: number): string {
  const next = clause.indexOf(",", from);
  return clause.slice(from, next < 0 ? clause.length : next);
}

function startsNewFinding(segment: string): boolean {
  return NEW_FINDING_START_RE.test(segment) || NEW_FINDING_VERB_RE.test(segment);
}

/** Whether a pre-trigger ending at `from` reaches the words starting at `to`. */
function reachesForward(clause: string, from: number, to: number): boolean {
  const between = clause.slice(from, to);
  if (TERMINATOR_RE.test(between)) return false;
  for (let c = between.indexOf(","); c >= 0; c = between.indexOf(",", c + 1)) {
    if (startsNewFinding(segmentAfter(clause, from + c + 1))) return false;
  }
  return true;
}

/**
 * Whether a post-trigger starting at `to` reaches back to words ending at `from`: within their
 * comma segment, or across bare list items that end the list ("calcification, fracture or
 * dislocation excluded"), never across a finding of its own ("calcific mass, fracture excluded").
 */
function reachesBack(clause: string, from: number, to: number): boolean {
  const between = clause.slice(from, to);
  if (TERMINATOR_RE.test(between)) return false;
  if (!between.includes(",")) return true;
  const crossed = between.slice(between.indexOf(",") + 1).split(",");
  return crossed.every((s) => !startsNewFinding(s) && s.trim().split(/\s+/).length <= 4) && LIST_END_RE.test(crossed.at(-1) ?? "");
}

function covered(clause: string, pre: Trigger[], post: Trigger[], index: number, end: number): boolean {
  for (const t of pre) if (t.end <= index && reachesForward(clause, t.end, index)) return true;
  for (const t of post) if (t.index >= end && reachesBack(clause, end, t.index)) return true;
  return false;
}

/** The triggers of one clause, found once and reused for every word of it. */
export class ClausePolarity {
  private readonly hedgePre: Trigger[];
  private readonly hedgePost: Trigger[];
  private readonly negPre: Trigger[];
  private readonly negPost: Trigger[];

  constructor(readonly clause: string) {
    const plain = mask(clause, PSEUDO_RE);
    this.hedgePre = findAll(plain, HEDGE_PRE_RE);
    this.hedgePost = findAll(plain, HEDGE_POST_RE);
    const unhedged = mask(mask(plain, HEDGE_POST_RE), HEDGE_PRE_RE);
    this.negPre = findAll(unhedged, NEG_PRE_RE);
    this.negPost = findAll(unhedged, NEG_POST_RE);
  }

  /** The polarity of the words at [index, end) of the clause. */
  of(index: number, end: number): Polarity {
    if (covered(this.clause, this.negPre, this.negPost, index, end)) return "negated";
    if (this.clause.includes("?")) return "hedged";
    if (covered(this.clause, this.hedgePre, this.hedgePost, index, end)) return "hedged";
    return "affirmed";
  }
}

/** The polarity of the words at [index, end) of `clause`. */
export function polarity(clause: string, index: number, end: number): Polarity {
  return new ClausePolarity(clause).of(index, end);
}

export function isNegated(clause: string, index: number, end: number): boolean {
  return polarity(clause, index, end) === "negated";
}

/** First affirmed match of `re` in the text, clause by clause; returns the clause. */
export function findAffirmed(text: string, re: RegExp): string | null {
  return findWith(text, re, "affirmed");
}

/** First match of `re` that is neither affirmed nor negated (hedged); returns the clause. */
export function findHedged(text: string, re: RegExp): string | null {
  return findWith(text, re, "hedged");
}

/** The global copy of each pattern findWith runs, built once instead of on every call. */
const GLOBAL_COPIES = new WeakMap<RegExp, RegExp>();

function globalCopy(re: RegExp): RegExp {
  let g = GLOBAL_COPIES.get(re);
  if (!g) GLOBAL_COPIES.set(re, (g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`)));
  return g;
}

/**
 * The clauses of the text findWith read last, with each clause's triggers once found: one
 * Condition's or report's text is searched for many patterns in a row (conditions.ts reads six
 * word lists on every coded Condition). A memo of one entry, keyed by the text alone (memo.ts).
 */
const lastRead = { text: null as string | null, clauses: [] as string[], polarities: [] as (ClausePolarity | undefined)[] };

function clausesOf(text: string): typeof lastRead {
  if (lastRead.text !== text) {
    lastRead.text = text;
    lastRead.clauses = clauses(text);
    lastRead.polarities = [];
  }
  return lastRead;
}

function findWith(text: string, re: RegExp, wanted: Polarity): string | null {
  const g = globalCopy(re);
  const read = clausesOf(text);
  for (let k = 0; k < read.clauses.length; k++) {
    const c = read.clauses[k]!;
    g.lastIndex = 0;
    for (let m = g.exec(c); m; m = g.exec(c)) {
      const p = (read.polarities[k] ??= new ClausePolarity(c));
      if (p.of(m.index, m.index + m[0].length) === wanted) return c;
    }
  }
  return null;
}
