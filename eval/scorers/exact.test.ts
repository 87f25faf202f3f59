import { describe, expect, it } from "vitest";
import { exactMatch } from "./exact";

describe("exactMatch", () => {
  it("is true only for the reference letter", () => {
    expect(exactMatch("C", "C")).toBe(true);
    expect(exactMatch("B", "C")).toBe(false);
  });
  it("counts no clear answer as a miss", () => {
    expect(exactMatch(null, "A")).toBe(false);
  });
});
