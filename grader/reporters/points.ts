/** Points for display and for platforms that show them: at most two decimals, so 13.760000000000002 reads 13.76. */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}
