/**
 * The text runs of an RTF document (RTF 1.9.1), for clinic letters and reports sent as text/rtf.
 * No maintained RTF-to-text library runs in the browser without Node's streams, so this reads what
 * text extraction needs and nothing more:
 *
 * - groups `{…}` with their state (Unicode skip count, font, ignored destination);
 * - `\par`, `\line`, `\sect`, `\page`, `\row` as line breaks; `\tab`, `\cell` as tabs;
 * - `\'hh` bytes in the document's code page (`\ansicpg`), or the font's (`\fcharset` in the font
 *   table); `\uN` characters, skipping the `\ucN` fallback characters that follow them;
 * - destinations that are not text (font, colour and style tables, document info, pictures,
 *   object data, field instructions, every `{\*…}` group) are skipped, `\binN` data too; what an
 *   object or field shows (`\result`, `\fldrslt`) is read.
 */
import { decoder } from "./charset";
import { NotReadable } from "./errors";

/** Destinations whose content is not document text. */
const IGNORED = new Set(
  (
    "fonttbl colortbl stylesheet info pict objdata listtable listoverridetable revtbl rsidtbl generator xmlnstbl " +
    "themedata colorschememapping datastore latentstyles filetbl mmathPr fldinst pgdsctbl nonshppict shpinst userprops " +
    "docvar template protusertbl passwordhash bkmkstart bkmkend xe tc"
  ).split(" "),
);

const SYMBOLS: Record<string, string> = {
  par: "\n",
  line: "\n",
  sect: "\n",
  page: "\n",
  row: "\n",
  tab: "\t",
  cell: "\t",
  nestcell: "\t",
  emdash: "\u2014",
  endash: "\u2013",
  bullet: "\u2022",
  lquote: "\u2018",
  rquote: "\u2019",
  ldblquote: "\u201c",
  rdblquote: "\u201d",
  emspace: " ",
  enspace: " ",
  qmspace: " ",
};

/** \fcharsetN to a Windows code page (RTF spec, "Font table"). 0 is ANSI: the document's own. */
const CHARSET_CODEPAGES: Record<number, number> = {
  77: 10000,
  128: 932,
  129: 949,
  134: 936,
  136: 950,
  161: 1253,
  162: 1254,
  163: 1258,
  177: 1255,
  178: 1256,
  186: 1257,
  204: 1251,
  222: 874,
  238: 1250,
};

/** A Windows code page as a TextDecoder label; windows-1252 where the platform has none. */
function codepageLabel(codepage: number): string {
  if (codepage >= 1250 && codepage <= 1258) return `windows-${codepage}`;
  const labels: Record<number, string> = {
    874: "windows-874",
    932: "shift_jis",
    936: "gbk",
    949: "euc-kr",
    950: "big5",
    10000: "macintosh",
    20866: "koi8-r",
    65001: "utf-8",
  };
  if (labels[codepage]) return labels[codepage];
  if (codepage >= 28591 && codepage <= 28605) return `iso-8859-${codepage - 28590}`;
  return "windows-1252";
}

interface GroupState {
  /** Characters to skip after \uN. */
  uc: number;
  /** Font number, for its code page. */
  font?: number;
  /** Inside a destination that is not text. */
  ignored: boolean;
  /** Inside the font table: record \fcharset per font. */
  fontTable: boolean;
}

const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const isLetter = (b: number) => (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

export function rtfToText(bytes: Uint8Array): string {
  if (!/^\s*\{\\rtf/.test(String.fromCharCode(...bytes.subarray(0, 32)))) {
    throw new NotReadable("unreadable", "not an RTF document (it does not start with {\\rtf)");
  }
  const reader = new RtfReader(bytes);
  return reader.read();
}

class RtfReader {
  private pos = 0;
  private state: GroupState = { uc: 1, ignored: false, fontTable: false };
  private readonly stack: GroupState[] = [];
  private codepage = 1252;
  private readonly fontCodepages = new Map<number, number>();
  /** Fallback characters still to skip after a \uN. */
  private skip = 0;
  /** A group just opened: its first control word may name a destination. */
  private groupStart = false;
  private readonly out: string[] = [];
  /** \'hh bytes waiting to be decoded together (multi-byte code pages need whole runs). */
  private pending: number[] = [];
  private pendingCodepage = 1252;
  /** UTF-16 code units from \uN, joined so surrogate pairs become one character. */
  private units: number[] = [];

  constructor(private readonly bytes: Uint8Array) {}

  read(): string {
    const { bytes } = this;
    while (this.pos < bytes.length) {
      const b = bytes[this.pos++];
      if (b === OPEN) {
        this.stack.push({ ...this.state });
        this.groupStart = true;
        this.skip = 0;
        continue;
      }
      if (b === CLOSE) {
        this.state = this.stack.pop() ?? this.state;
        this.groupStart = false;
        this.skip = 0;
        continue;
      }
      if (b === BACKSLASH) {
        this.control();
        continue;
      }
      this.groupStart = false;
      if (b === 0x0d || b === 0x0a) continue;
      if (this.skipped()) continue;
      // Raw 8-bit bytes (not conformant, but written by some tools) are in the code page too.
      if (b >= 0x80) this.byte(b);
      else this.emit(b === 0x09 ? "\t" : String.fromCharCode(b));
    }
    this.flush();
    return this.out
      .join("")
      .split("\n")
      .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  }

  private control(): void {
    const { bytes } = this;
    const first = bytes[this.pos];
    if (first === undefined) return;
    if (!isLetter(first)) {
      this.pos++;
      this.symbol(first);
      return;
    }
    let word = "";
    while (this.pos < bytes.length && isLetter(bytes[this.pos]) && word.length < 32) word += String.fromCharCode(bytes[this.pos++]);
    let digits = "";
    if (bytes[this.pos] === 0x2d && isDigit(bytes[this.pos + 1])) digits = String.fromCharCode(bytes[this.pos++]);
    while (this.pos < bytes.length && isDigit(bytes[this.pos]) && digits.length < 11) digits += String.fromCharCode(bytes[this.pos++]);
    if (bytes[this.pos] === 0x20) this.pos++;
    const param = digits ? Number(digits) : undefined;
    const atGroupStart = this.groupStart;
    this.groupStart = false;
    this.word(word, param, atGroupStart);
  }

  /** Control symbols: \\ \{ \} \'hh \* \~ \- \_ and \<newline> (a paragraph). */
  private symbol(b: number): void {
    const c = String.fromCharCode(b);
    if (c === "*") {
      this.state.ignored = true;
      return;
    }
    this.groupStart = false;
    if (c === "'") {
      const hex = String.fromCharCode(this.bytes[this.pos] ?? 0, this.bytes[this.pos + 1] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return;
      this.pos += 2;
      if (this.skipped()) return;
      this.byte(parseInt(hex, 16));
      return;
    }
    if (this.skipped()) return;
    if (c === "\\" || c === "{" || c === "}") this.emit(c);
    else if (c === "~") this.emit(" ");
    else if (c === "_") this.emit("-");
    else if (c === "\n" || c === "\r") this.emit("\n");
  }

  private word(word: string, param: number | undefined, atGroupStart: boolean): void {
    const state = this.state;
    if (word === "bin") {
      this.pos += Math.max(0, param ?? 0);
      return;
    }
    if (atGroupStart && IGNORED.has(word)) {
      state.ignored = true;
      state.fontTable = word === "fonttbl";
      return;
    }
    if (word === "ansicpg" && param !== undefined) this.codepage = param;
    else if (word === "mac") this.codepage = 10000;
    else if (word === "uc" && param !== undefined) state.uc = Math.max(0, param);
    else if (word === "f" && param !== undefined) state.font = param;
    else if (word === "fcharset" && param !== undefined && state.fontTable && state.font !== undefined) {
      const codepage = CHARSET_CODEPAGES[param];
      if (codepage) this.fontCodepages.set(state.font, codepage);
    } else if (word === "u" && param !== undefined) {
      if (!this.skipped()) this.unit(param < 0 ? param + 65536 : param);
      this.skip = state.uc;
    } else if (SYMBOLS[word] !== undefined) {
      if (!this.skipped()) this.emit(SYMBOLS[word]);
    }
  }

  /** Consumes one fallback character after \uN; true when this one is skipped (or ignored). */
  private skipped(): boolean {
    if (this.skip > 0) {
      this.skip--;
      return true;
    }
    return this.state.ignored;
  }

  private byte(b: number): void {
    const codepage = (this.state.font !== undefined && this.fontCodepages.get(this.state.font)) || this.codepage;
    if (this.pending.length && codepage !== this.pendingCodepage) this.flush();
    this.flushUnits();
    this.pendingCodepage = codepage;
    this.pending.push(b);
  }

  private unit(u: number): void {
    this.flushBytes();
    this.units.push(u);
    // Joined in chunks (a split surrogate pair re-forms when the strings are joined).
    if (this.units.length >= 8192) this.flushUnits();
  }

  private emit(text: string): void {
    this.flush();
    this.out.push(text);
  }

  private flush(): void {
    this.flushBytes();
    this.flushUnits();
  }

  private flushBytes(): void {
    if (!this.pending.length) return;
    this.out.push(decoder(codepageLabel(this.pendingCodepage)).decode(new Uint8Array(this.pending)));
    this.pending = [];
  }

  private flushUnits(): void {
    if (!this.units.length) return;
    this.out.push(String.fromCharCode(...this.units));
    this.units = [];
  }
}
