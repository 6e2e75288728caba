import { describe, expect, it } from "vitest";
import { CALM, contrastRatio, parseColor, resolveSmartStyle, themeFromSmartStyle } from "../../src/ui/theme";

describe("themeFromSmartStyle", () => {
  it("uses the calm clinical palette without a style document", () => {
    const t = themeFromSmartStyle();
    expect(t.palette.primary.main).toBe(CALM.primary);
    expect(t.palette.background.default).toBe(CALM.background);
    expect(t.palette.text.primary).toBe(CALM.text);
  });

  it("takes the EHR's background, text and highlight colours from smart_style_url", () => {
    const t = themeFromSmartStyle({ color_background: "#edeae3", color_text: "#222222", color_highlight: "#1a4b8c" });
    expect(t.palette.background.default).toBe("#edeae3");
    expect(t.palette.text.primary).toBe("#222222");
    expect(t.palette.primary.main).toBe("#1a4b8c");
  });

  it("darkens a highlight colour too light for white button text to reach 4.5:1", () => {
    const r = resolveSmartStyle({ color_highlight: "#88ccff" });
    expect(r.primary).not.toBe("#88ccff");
    expect(contrastRatio(parseColor(r.primary)!, [255, 255, 255])).toBeGreaterThanOrEqual(4.5);
  });

  it("refuses a text/background pair that would be unreadable", () => {
    const r = resolveSmartStyle({ color_background: "#ffffff", color_text: "#eeeeee" });
    expect(r.text).toBe(CALM.text);
    expect(contrastRatio(parseColor(r.text)!, parseColor(r.background)!)).toBeGreaterThanOrEqual(4.5);
  });

  it("keeps the light theme when the EHR's palette is dark (panels stay white and readable)", () => {
    const r = resolveSmartStyle({ color_background: "#111111", color_text: "#f0f0f0" });
    expect(r.text).toBe(CALM.text);
    expect(r.background).toBe(CALM.background);
  });

  it("ignores values that are not plain colours or safe fonts (no CSS injection)", () => {
    const r = resolveSmartStyle({
      color_background: "red; background-image: url(https://evil.example/x)",
      color_highlight: "expression(alert(1))",
      font_family_body: "Arial; } body { display:none",
    });
    expect(r.background).toBe(CALM.background);
    expect(r.primary).toBe(CALM.primary);
    expect(r.fontFamily).toBeUndefined();
  });

  it("parses rgb() and short hex", () => {
    expect(parseColor("rgb(10, 20, 30)")).toEqual([10, 20, 30]);
    expect(parseColor("#abc")).toEqual([170, 187, 204]);
    expect(parseColor("rgb(300,0,0)")).toBeNull();
  });
});

describe("fixed colours of the screen", () => {
  it("keep 4.5:1 text contrast (status tones, attention, readings)", async () => {
    const { STATUS_TONE } = await import("../../src/ui/record/panels/Headline");
    const white = parseColor("#ffffff")!;
    for (const [status, tone] of Object.entries(STATUS_TONE)) {
      expect(contrastRatio(parseColor(tone.fg)!, white), `${status} on white`).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(parseColor(tone.fg)!, parseColor(tone.bg)!), `${status} on its tint`).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio(parseColor(CALM.attention)!, parseColor(CALM.attentionBg)!)).toBeGreaterThanOrEqual(4.5);
    for (const c of ["#8a4b08", "#2e6b3a", CALM.textSecondary]) {
      expect(contrastRatio(parseColor(c)!, white), c).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(parseColor(c)!, parseColor("#eef1f4")!), `${c} on grey chip`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
