/**
 * The words the rules look for in free text (imaging conclusions, study descriptions, notes,
 * condition text). English only. Each list is here, in the open, so a clinician can check it.
 */

/** PC-DOC [M]: the spec's pattern. */
export const PC_DOC_RE = /(pseudo-?)?tumou?ral calcinosis/i;
/** PC-CALC [C]: calcinosis named in a diagnosis. */
export const CALCINOSIS_WORDS_RE = /\bcalcinos[ie]s\b|\bcalci(?:fic|fied) mass(?:es)?\b/i;
/** Calcification context for lesions read from text (soft-tissue calcium deposits). */
export const CALCIFICATION_RE =
  /\bcalcinos[ie]s\b|\bcalci(?:fic|fied|fication|fications|fying)\b|\bcalcium[- ](?:content|dense|density|deposits?)\b/gi;
/** PC-IMG [D]: calcification in soft tissue, periarticular or paravertebral, or a calcific mass. */
export const SOFT_TISSUE_LOCATION_RE = /\b(soft[- ]tissues?|periarticular|para-?articular|paravertebral|paraspinal|subcutaneous)\b/i;
export const CALCIFIC_MASS_RE = /\bcalci(?:fic|fied) (?:mass|masses|bulk|lesions?)\b/i;
/**
 * Calcifications that are not soft-tissue calcinosis, ignored when within a few words: vessels,
 * lymph nodes, organs and their nodules (§6 SIZE: nodules of the lung, thyroid, liver, breast or
 * kidney are excluded; nodules of the skin, subcutis or fingertips are calcinosis cutis).
 */
export const NOT_CALCINOSIS_RE =
  /\b(aort\w*|arter\w*|vascular|vessels?|coronary|valv\w*|lymph|nodes?|granulom\w*|renal|kidneys?|nephro\w*|gall\w*|bladder|prostat\w*|thyroid|breasts?|pleura\w*|lungs?|pulmonary|calcul\w*|stones?|phlebolith\w*|pineal|falx|basal ganglia|hepatic|liver|splen\w*|pancrea\w*|uter\w*|fibroids?)\b/i;
/** CUTIS [Z, M]: calcinosis of the skin, the subcutis or the fingertips. */
export const CUTIS_RE = /\b(cutis|skin|cutaneous|subcutaneous|subcutis|dermal|finger-?tips?|finger pulps?|digital pulps?)\b/i;
/** RF-SPINE [Z]: neurological signs. */
export const SPINAL_NEURO_RE =
  /\b(radiculopath\w*|myelopath\w*|(?:spinal )?cord compression|cauda equina|(?:limb|leg|arm)s? weakness|weakness of the (?:lower |upper )?(?:limbs?|legs?|arms?))\b/i;
/** RF-COMP [Z]: ulceration, fistula, infection. */
export const COMPLICATION_RE = /\b(ulcer\w*|fistul\w*|infect\w*|cellulitis|osteomyelitis|abscess\w*)\b/i;
/** RF-CANAL [M]: a mass projecting into the spinal canal or the foramina. */
export const CANAL_RE =
  /\b(intra-?canal(?:ar)?|intra-?spinal|epidural|(?:spinal|vertebral|central) canal|neural foram\w*|(?:inter)?vertebral foram\w*|foramina\w*|foramen)\b/i;
/** The foramina part of CANAL_RE: names the place ("foraminal", not "intracanal"). */
export const FORAMEN_RE = /\b(neural foram\w*|(?:inter)?vertebral foram\w*|foramina\w*|foramen)\b/i;
/** Organs a biopsy may be of, outside the site groups (§6 G-NEO: a colon biopsy is of a stated site, not the lesion's). */
export const ORGAN_SITE_RE =
  /\b(colon\w*|rect\w*|bowel|gastr\w*|stomach|duoden\w*|oesophag\w*|esophag\w*|liver|hepatic|lungs?|bronch\w*|pulmonary|breasts?|thyroid|kidneys?|renal|prostat\w*|cervi[cx]\w*|uter\w*|endometri\w*|ovar\w*|bladder|skin|lymph nodes?|bone marrow|marrow|pancrea\w*|spleen)\b/i;
/** G-NEO: biopsy or histology. */
export const BIOPSY_RE = /\b(biops\w*|histolog\w*|histopatholog\w*|patholog\w*|cytolog\w*|needle aspirat\w*)\b/i;
