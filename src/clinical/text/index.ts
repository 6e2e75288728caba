/**
 * Reading free text: the word lists (words.ts), sizes (sizes.ts), sites and sides (sites.ts),
 * negation and uncertainty (negation.ts) and the reading of one text (reading.ts).
 */
export * from "./words";
export { parseSizes, type ParsedSize } from "./sizes";
export {
  biopsySiteGroups,
  findSites,
  findSides,
  limbOfText,
  LIMB_GROUPS,
  modalitiesOfText,
  siteName,
  siteOfText,
  spinalLevel,
  type SiteMention,
} from "./sites";
export { clauses, findAffirmed, findHedged, isNegated, polarity, ClausePolarity, type Polarity } from "./negation";
export { joinSpines, readText, type SpineDetail, type TextLesion, type TextReading } from "./reading";
