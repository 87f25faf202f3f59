import { describe, expect, it } from "vitest";
import { requestOrigin } from "./request-origin";

const from = (values: Record<string, string>) => requestOrigin(new Headers(values));

describe("requestOrigin: the address the curl examples on /docs use", () => {
  it("is the Host the reader used", () => {
    expect(from({ host: "127.0.0.1:3199" })).toBe("http://127.0.0.1:3199");
    expect(from({ host: "[::1]:3000" })).toBe("http://[::1]:3000");
  });

  it("prefers a reverse proxy's X-Forwarded-Host and -Proto, taking the first of a list", () => {
    expect(
      from({ host: "10.0.0.5:3000", "x-forwarded-host": "medgpt.hospital.org", "x-forwarded-proto": "https" }),
    ).toBe("https://medgpt.hospital.org");
    expect(from({ host: "a:1", "x-forwarded-host": "b.org, c.org", "x-forwarded-proto": "https,http" })).toBe(
      "https://b.org",
    );
    expect(from({ host: "a:1", "x-forwarded-proto": "gopher" })).toBe("http://a:1");
  });

  it("ignores a header that is not a plain host, and falls back to the default address", () => {
    expect(from({ host: "ok.org", "x-forwarded-host": "evil.org/'; rm -rf /" })).toBe("http://ok.org");
    expect(from({ host: "a b" })).toBe("http://localhost:3000");
    expect(from({})).toBe("http://localhost:3000");
  });
});
