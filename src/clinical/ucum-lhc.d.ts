// Minimal typing for the part of @lhncbc/ucum-lhc that the unit-table tests and the bench use (the
// package ships no types). The engine itself no longer imports it: see unitTable.ts.
declare module "@lhncbc/ucum-lhc" {
  interface ConvertResult {
    status: "succeeded" | "failed" | "error";
    toVal: number | null;
    msg: string[];
  }
  interface UcumLhcUtils {
    validateUnitString(unit: string): { status: "valid" | "invalid" | "error" };
    convertUnitTo(fromUnit: string, fromVal: number, toUnit: string, options?: Record<string, unknown>): ConvertResult;
  }
  const ucum: { UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
