import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LetterSchema } from "@/lib/schemas/ask";
import { openApiDocument } from "./document";

describe("OpenAPI document when a schema module was loaded twice", () => {
  it("still builds: the copy that is not the registered one is inlined, not a duplicate id", () => {
    // What a Next.js server does when it evaluates lib/schemas/ask.ts in two module layers: a second object
    // registers under the same id, while schemas of the first copy still refer to the first object.
    const second = z.partialRecord(LetterSchema, z.number()).meta({ id: "Probabilities" });
    z.object({ p: second }).meta({ id: "SecondCopyHolder" });
    const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    expect(doc.components.schemas.Probabilities).toBeDefined();
    expect(doc.components.schemas.Answer).toBeDefined();
  });
});
