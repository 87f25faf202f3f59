import { describe, expect, it } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { DELETE, GET, PATCH, POST, PUT } from "./route";

describe("unknown /api paths", () => {
  it.each([
    ["GET", GET],
    ["POST", POST],
    ["PUT", PUT],
    ["PATCH", PATCH],
    ["DELETE", DELETE],
  ] as const)("%s answers 404 not_found as JSON naming the path, not the HTML 404 page", async (method, handler) => {
    const res = handler(new Request("http://localhost/api/asks?x=1", { method }));
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.code).toBe("not_found");
    expect(error.message).toContain("/api/asks");
    expect(error.message).not.toContain("x=1");
    expect(error.fix).toBeTruthy();
  });
});
