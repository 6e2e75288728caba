/**
 * HTML inputs and the text both extractors must give for them: the browser's (DOMParser, in
 * jsdom) and Node's (htmlparser2). One corpus, two test files: the same report reads the same in
 * the app and in the CLI.
 */
import { ELBOW_CT_FINDINGS, ELBOW_CT_HTML, ELBOW_CT_IMPRESSION } from "../../../sandbox/data/attachments/sources";
import { FEATURE_LINES, FEATURES_HTML } from "./fixtures/sources";

export interface HtmlCase {
  name: string;
  html: string;
  contentType?: string;
  text: string;
}

const L = FEATURE_LINES;

export const HTML_CASES: HtmlCase[] = [
  {
    name: "the demo CT report: style and title dropped, headings and paragraphs on their own lines, &amp; decoded",
    html: ELBOW_CT_HTML,
    text: [
      "Department of Radiology & Nuclear Medicine",
      "Examination: CT elbow without contrast",
      "Date: 2 October 2026",
      "Clinical history",
      "Diffuse cutaneous systemic sclerosis. Hard swelling behind the elbow, enlarging over six months.",
      "Findings",
      ELBOW_CT_FINDINGS,
      "No erosion of the adjacent bone. The elbow joint is congruent.",
      "Impression",
      ELBOW_CT_IMPRESSION,
      "Dr. Henrik Aalto, Consultant Radiologist",
      "Electronically signed 2 October 2026 14:05",
    ].join("\n"),
  },
  {
    name: "the features document: characters, table cells as tabs, list items",
    html: FEATURES_HTML,
    text: [L.heading, L.name, L.symbols, ...L.cells.map((c) => c.join("\t")), ...L.items, L.afterPicture, L.secondPage].join("\n"),
  },
  {
    name: "script, style, template, noscript and comments are not text",
    html:
      "<p>Before.</p><script>document.write('injected')</script><style>p{color:red}</style>" +
      "<template><p>template text</p></template><noscript>enable scripts</noscript><!-- hidden note --><p>After.</p>",
    text: "Before.\nAfter.",
  },
  {
    name: "sentences in adjacent blocks stay apart; <br> breaks a line; inline elements do not",
    html: "<div>First sentence<div>Second sentence</div></div><p>Line one<br>Line <b>two</b> <i>continues</i></p>",
    text: "First sentence\nSecond sentence\nLine one\nLine two continues",
  },
  {
    name: "white space collapses across elements and comments; non-breaking spaces are spaces",
    html: "<p>  4.2&nbsp;x\n 3.1 <!-- x -->   cm\t</p>",
    text: "4.2 x 3.1 cm",
  },
  {
    name: "entities, named and numeric, are decoded",
    html: "<p>&lt;2 cm &amp; &gt;1 cm &ndash; &#x2264;5&#8201;mm &eacute;&uuml; &quot;q&quot; &apos;a&apos;</p>",
    text: "<2 cm & >1 cm – ≤5\u2009mm éü \"q\" 'a'",
  },
  {
    name: "unclosed paragraphs and list items close as the HTML parser closes them",
    html: "<p>One<p>Two<ul><li>Three<li>Four</ul>",
    text: "One\nTwo\nThree\nFour",
  },
  {
    name: "<pre> keeps its line breaks and spacing; its first new line is the parser's",
    html: "<pre>\nSize:   4.2 cm\nSide:   left\n</pre>",
    text: "Size:   4.2 cm\nSide:   left",
  },
  {
    name: "XHTML with an XML declaration and namespaces reads as HTML",
    html:
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">' +
      '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><p>Mass 3 cm.<br/>Left elbow.</p></body></html>',
    contentType: "application/xhtml+xml",
    text: "Mass 3 cm.\nLeft elbow.",
  },
  {
    name: "a bare fragment without html or body",
    html: "Calcific mass, <b>left</b> hip.",
    text: "Calcific mass, left hip.",
  },
];
