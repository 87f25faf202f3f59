/**
 * Confidence bands: how sure the model was, in plain words. Isomorphic: the server reads the thresholds from config
 * (MEDGPT_CONFIDENCE_HIGH, MEDGPT_CONFIDENCE_MODERATE) and hands them to the page.
 *
 * Defaults: high from 0.80, moderate from 0.50, low below. With four or five options chance is 0.20–0.25; below 0.50
 * the model puts more weight on the other options together than on its pick, so the answer is to be treated as
 * uncertain. 0.80 is where the pick clearly dominates. These are product choices, not calibrated facts: the
 * researchers' calibration view (ECE, reliability diagram) is what tells whether a model's 0.8 means 80 %.
 */
export type ConfidenceThresholds = { high: number; moderate: number };
export const DEFAULT_CONFIDENCE_THRESHOLDS: ConfidenceThresholds = { high: 0.8, moderate: 0.5 };

export type ConfidenceBand = "high" | "moderate" | "low";

export function confidenceBand(
  confidence: number,
  t: ConfidenceThresholds = DEFAULT_CONFIDENCE_THRESHOLDS,
): ConfidenceBand {
  if (confidence >= t.high) return "high";
  if (confidence >= t.moderate) return "moderate";
  return "low";
}

export const BAND_WORDS: Record<ConfidenceBand, string> = {
  high: "High confidence",
  moderate: "Moderate confidence",
  low: "Low confidence: treat as uncertain",
};
