import type { Letter } from "@/lib/schemas/options";

/**
 * Exact-match accuracy for one answer. `null` (no clear letter, see parseAnswer) is a miss, never a guess.
 * Format compliance is not scored here: it is parseAnswer's `formatOk`, so the app and the eval cannot disagree.
 */
export function exactMatch(letter: Letter | null, reference: Letter): boolean {
  return letter !== null && letter === reference;
}
