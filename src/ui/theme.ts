import { createTheme, type Theme } from "@mui/material/styles";

/**
 * The app's MUI theme: a calm clinical look (muted blue, neutral greys, no alarm red as a base
 * colour), optionally taking the EHR's colours from the SMART `smart_style_url` document.
 *
 * EHR style values are untrusted input: only plain colour literals are accepted (hex, rgb(a)),
 * fonts are restricted to a safe character set, and a colour that would break text contrast
 * (WCAG AA, 4.5:1) is adjusted or ignored, so an EHR style can never make the screen unreadable.
 */

/** The SMART App Launch style document (`smart_style_url`), all fields optional. */
export interface SmartStyle {
  color_background?: string;
  color_error?: string;
  color_highlight?: string;
  color_modal_backdrop?: string;
  color_success?: string;
  color_text?: string;
  dim_border_radius?: string;
  dim_font_size?: string;
  dim_spacing_size?: string;
  font_family_body?: string;
  font_family_heading?: string;
  [key: string]: unknown;
}

export const CALM = {
  background: "#f5f7f9",
  paper: "#ffffff",
  text: "#1d2731",
  textSecondary: "#4a5866",
  primary: "#1f5a85",
  secondary: "#5a4a86",
  /** Attention (red flags): a deep amber-brown, serious but not an alarm red. */
  attention: "#8a4b08",
  attentionBg: "#fff6e8",
  error: "#b3261e",
  success: "#2e6b3a",
  info: "#1f5a85",
  divider: "#d5dde5",
};

type Rgb = [number, number, number];

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(r,g,b)` and `rgba(r,g,b,a)`; anything else is null. */
export function parseColor(input: unknown): Rgb | null {
  if (typeof input !== "string") return null;
  const s = input.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as Rgb;
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*(?:0|1|0?\.\d+)\s*)?\)$/.exec(s);
  if (m) {
    const rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (rgb.every((v) => v <= 255)) return rgb as Rgb;
  }
  return null;
}

function toHex([r, g, b]: Rgb): string {
  return "#" + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio between two colours. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Darkens a colour step by step until it reaches `ratio` against `against` (or black). */
function darkenUntil(c: Rgb, against: Rgb, ratio: number): Rgb {
  let cur: Rgb = [...c] as Rgb;
  for (let i = 0; i < 40 && contrastRatio(cur, against) < ratio; i++) {
    cur = cur.map((v) => v * 0.92) as Rgb;
  }
  return cur;
}

const SAFE_FONT = /^[\w\s,'"-]{1,200}$/;
const SAFE_PX = /^(\d{1,2}(?:\.\d+)?)px$/;

export interface ResolvedStyle {
  background: string;
  text: string;
  primary: string;
  error: string;
  success: string;
  fontFamily?: string;
  headingFontFamily?: string;
  borderRadius?: number;
}

/** Applies the accept/adjust/ignore policy to an EHR style; exported for tests. */
export function resolveSmartStyle(style?: SmartStyle | null): ResolvedStyle {
  const out: ResolvedStyle = {
    background: CALM.background,
    text: CALM.text,
    primary: CALM.primary,
    error: CALM.error,
    success: CALM.success,
  };
  if (!style || typeof style !== "object") return out;

  const white: Rgb = [255, 255, 255];
  const bg = parseColor(style.color_background);
  const text = parseColor(style.color_text);
  // Background and text are taken as a pair only when they are readable together, and the text
  // is also readable on the white panels (this is a light theme: a dark EHR palette falls back).
  if (bg && text && contrastRatio(bg, text) >= 4.5 && contrastRatio(text, white) >= 4.5) {
    out.background = toHex(bg);
    out.text = toHex(text);
  } else if (bg && contrastRatio(bg, parseColor(CALM.text)!) >= 4.5) {
    out.background = toHex(bg);
  } else if (text && contrastRatio(text, white) >= 4.5 && contrastRatio(text, parseColor(CALM.background)!) >= 4.5) {
    out.text = toHex(text);
  }
  // Highlight becomes the primary colour; buttons put white text on it and links put it on white.
  const hl = parseColor(style.color_highlight);
  if (hl) out.primary = toHex(darkenUntil(hl, white, 4.5));
  const err = parseColor(style.color_error);
  if (err) out.error = toHex(darkenUntil(err, white, 4.5));
  const ok = parseColor(style.color_success);
  if (ok) out.success = toHex(darkenUntil(ok, white, 4.5));

  if (typeof style.font_family_body === "string" && SAFE_FONT.test(style.font_family_body)) {
    out.fontFamily = style.font_family_body;
  }
  if (typeof style.font_family_heading === "string" && SAFE_FONT.test(style.font_family_heading)) {
    out.headingFontFamily = style.font_family_heading;
  }
  const radius = typeof style.dim_border_radius === "string" ? SAFE_PX.exec(style.dim_border_radius) : null;
  if (radius) out.borderRadius = Math.min(Number(radius[1]), 16);
  return out;
}

const SYSTEM_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';

/** The MUI theme, from the EHR's style document when given, else the calm default. */
export function themeFromSmartStyle(style?: SmartStyle | null): Theme {
  const r = resolveSmartStyle(style);
  const headingFont = r.headingFontFamily ?? r.fontFamily ?? SYSTEM_FONT;
  return createTheme({
    palette: {
      mode: "light",
      primary: { main: r.primary, contrastText: "#ffffff" },
      secondary: { main: CALM.secondary },
      error: { main: r.error },
      warning: { main: CALM.attention, contrastText: "#ffffff" },
      info: { main: CALM.info },
      success: { main: r.success },
      background: { default: r.background, paper: CALM.paper },
      text: { primary: r.text, secondary: CALM.textSecondary },
      divider: CALM.divider,
    },
    shape: { borderRadius: r.borderRadius ?? 6 },
    typography: {
      fontFamily: r.fontFamily ?? SYSTEM_FONT,
      h1: { fontFamily: headingFont, fontSize: "1.5rem", fontWeight: 600, lineHeight: 1.3 },
      h2: { fontFamily: headingFont, fontSize: "1.2rem", fontWeight: 600, lineHeight: 1.35 },
      h3: { fontFamily: headingFont, fontSize: "1.05rem", fontWeight: 600, lineHeight: 1.4 },
      h4: { fontFamily: headingFont, fontSize: "0.95rem", fontWeight: 600 },
      body2: { lineHeight: 1.5 },
    },
    components: {
      // A visible focus ring on every focusable element (the ripple alone is too faint, WCAG 2.4.7),
      // in the EHR's primary colour so it matches the host's style.
      MuiCssBaseline: {
        styleOverrides: {
          ":root :focus-visible, :root .Mui-focusVisible": { outline: `3px solid ${r.primary}`, outlineOffset: "2px" },
          "@media print": { ":root :focus-visible, :root .Mui-focusVisible": { outline: "none" } },
        },
      },
      MuiPaper: { defaultProps: { elevation: 0 }, styleOverrides: { root: { border: `1px solid ${CALM.divider}` } } },
      MuiButton: { defaultProps: { disableElevation: true }, styleOverrides: { root: { textTransform: "none" } } },
      MuiTab: { styleOverrides: { root: { textTransform: "none" } } },
      MuiChip: { styleOverrides: { root: { maxWidth: "100%" }, label: { whiteSpace: "normal", overflowWrap: "anywhere" } } },
    },
  });
}
