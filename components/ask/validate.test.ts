import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AskRequestSchema } from "@/lib/schemas/ask";
import { CASE_MAX_CHARS, OPTION_MAX_CHARS } from "@/lib/schemas/limits";
import { validateDraft, type Draft } from "./validate";

/**
 * The form does not run AskRequestSchema in the browser (it would bring zod into the clinician page); these
 * properties are what stands in for that backstop: whatever draft the form's own rules let through is a body the
 * server's schema accepts, and what the schema refuses for a reason the form can see, the form refuses too.
 */

const RUNS = 1000;

// Texts near every limit (with and without padding that trimming removes), blank ones, and odd characters.
const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom("", "  ", "\n\t", " x "),
    fc
      .tuple(fc.string({ maxLength: 3 }), fc.integer({ min: max - 3, max: max + 1 }), fc.constantFrom("", " ", "\n"))
      .map(([head, n, pad]) => `${pad}${head}${"x".repeat(Math.max(0, n - head.length))}${pad}`),
  );
const draft: fc.Arbitrary<Draft> = fc.record({
  caseText: text(CASE_MAX_CHARS),
  options: fc.record({
    A: text(OPTION_MAX_CHARS),
    B: text(OPTION_MAX_CHARS),
    C: text(OPTION_MAX_CHARS),
    D: text(OPTION_MAX_CHARS),
    E: text(OPTION_MAX_CHARS),
  }),
  showE: fc.boolean(),
  model: fc.oneof(
    fc.constantFrom("mrizwank97/medgpt", "gemma2:2b", "registry.example:5000/ns/m:tag", "", " ", "no such model!"),
    fc.string({ maxLength: 210 }),
  ),
});

describe("validateDraft against the server's schema", () => {
  it("every body the form would send is one AskRequestSchema accepts", () => {
    let sent = 0;
    fc.assert(
      fc.property(draft, (d) => {
        const { body, errors } = validateDraft(d);
        if (errors.length > 0) return;
        sent++;
        const parsed = AskRequestSchema.safeParse(body);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(sent).toBeGreaterThan(0);
  });

  it("a body the schema refuses is never sent silently: the form names a field", () => {
    fc.assert(
      fc.property(draft, (d) => {
        const { body, errors } = validateDraft(d);
        if (!AskRequestSchema.safeParse(body).success) expect(errors.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("the limits are the schema's: one character over is refused by both, at the limit accepted by both", () => {
    const base: Draft = {
      caseText: "A case",
      options: { A: "a", B: "b", C: "", D: "", E: "" },
      showE: false,
      model: "mrizwank97/medgpt",
    };
    const atCase = { ...base, caseText: "x".repeat(CASE_MAX_CHARS) };
    const overCase = { ...base, caseText: "x".repeat(CASE_MAX_CHARS + 1) };
    const atOption = { ...base, options: { ...base.options, B: "y".repeat(OPTION_MAX_CHARS) } };
    const overOption = { ...base, options: { ...base.options, B: "y".repeat(OPTION_MAX_CHARS + 1) } };
    for (const d of [atCase, atOption]) {
      expect(validateDraft(d).errors).toEqual([]);
      expect(AskRequestSchema.safeParse(validateDraft(d).body).success).toBe(true);
    }
    for (const d of [overCase, overOption]) {
      expect(validateDraft(d).errors).toHaveLength(1);
      expect(AskRequestSchema.safeParse(validateDraft(d).body).success).toBe(false);
    }
    expect(validateDraft({ ...base, model: "no such model!" }).errors).toEqual([
      { field: "model", message: "Check this field: the server would not accept it as written" },
    ]);
  });
});
