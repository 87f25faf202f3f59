import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DELETE as revokeKey } from "@/app/api/keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/keys/route";
import { GenerationSlots } from "@/lib/security/ask-gate";
import { ctx, expectError } from "@/test-support/api";
import { rejection } from "@/test-support/async";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { POST as ask } from "./route";

/**
 * Who may call POST /api/ask and how often: API keys (created, listed, revoked through the admin API), the
 * per-address and per-key rate limits, and the cap on generations in flight.
 */

const ADMIN = "access-test-admin-token-0123456789";
const AUTH = { authorization: `Bearer ${ADMIN}` };
let standin: OllamaStandin;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-access-"));
  vi.stubEnv("ADMIN_TOKEN", ADMIN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "access.db"));
  vi.stubEnv("MEDGPT_ASK_RATE_LIMIT", "3");
  vi.stubEnv("MEDGPT_KEY_RATE_LIMIT", "5");
  standin = await startAskStandin();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const body = { case: CASE, options: OPTIONS, stream: false };
const askAs = (headers: Record<string, string>) =>
  ask(
    new Request(ASK_URL, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );

describe("API keys", () => {
  it("an admin creates a key (shown once), a request with it is served and counted, and revoking it closes it", async () => {
    const created = await createKey(
      new Request("http://localhost/api/keys", {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: JSON.stringify({ name: "hospital EHR" }),
      }),
      ctx({}),
    );
    expect(created.status).toBe(201);
    const { id, key, name } = (await created.json()) as { id: string; key: string; name: string };
    expect(name).toBe("hospital EHR");
    expect(key).toMatch(/^mgk_[A-Za-z0-9_-]{40,}$/);

    expect((await askAs({ authorization: `Bearer ${key}`, "x-forwarded-for": "198.51.100.1" })).status).toBe(200);
    expect((await askAs({ authorization: `Bearer ${key}`, "x-forwarded-for": "198.51.100.1" })).status).toBe(200);
    const listed = (await (
      await listKeys(new Request("http://localhost/api/keys", { headers: AUTH }), ctx({}))
    ).json()) as {
      keys: { id: string; requestCount: number; lastUsedAt: string | null }[];
    };
    const mine = listed.keys.find((k) => k.id === id)!;
    expect(mine.requestCount).toBe(2);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key); // stored hashed, never shown again

    const revoked = await revokeKey(
      new Request(`http://localhost/api/keys/${id}`, { method: "DELETE", headers: AUTH }),
      ctx({ id }),
    );
    expect(revoked.status).toBe(200);
    await expectError(await askAs({ authorization: `Bearer ${key}` }), 401, "invalid_api_key");
  });

  it("an unknown key gets 401 invalid_api_key even though anonymous use is open", async () => {
    await expectError(await askAs({ authorization: "Bearer mgk_not-a-key" }), 401, "invalid_api_key");
    expect((await askAs({ "x-forwarded-for": "198.51.100.77" })).status).toBe(200);
  });

  it("key management needs the admin: no credentials → 401; a missing key → 404; a bad name → 400", async () => {
    await expectError(await listKeys(new Request("http://localhost/api/keys"), ctx({})), 401, "unauthorized");
    await expectError(
      await revokeKey(
        new Request("http://localhost/api/keys/key_nope", { method: "DELETE", headers: AUTH }),
        ctx({ id: "key_nope" }),
      ),
      404,
      "not_found",
    );
    const bad = await createKey(
      new Request("http://localhost/api/keys", {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: JSON.stringify({ name: "" }),
      }),
      ctx({}),
    );
    await expectError(bad, 400, "invalid_request");
  });
});

describe("MEDGPT_ASK_REQUIRE_KEY=true", () => {
  it("closes anonymous use: 401 api_key_required, while a live key is served", async () => {
    const created = await createKey(
      new Request("http://localhost/api/keys", {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: JSON.stringify({ name: "closed server" }),
      }),
      ctx({}),
    );
    const { key } = (await created.json()) as { key: string };
    vi.resetModules(); // a fresh config module reads the changed environment
    vi.stubEnv("MEDGPT_ASK_REQUIRE_KEY", "true");
    try {
      const { POST: closedAsk } = await import("./route");
      const request = (headers: Record<string, string>) =>
        new Request(ASK_URL, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(body),
        });
      const refused = await closedAsk(request({ "x-forwarded-for": "192.0.2.8" }));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("api_key_required");
      expect((await closedAsk(request({ authorization: `Bearer ${key}` }))).status).toBe(200);
    } finally {
      vi.stubEnv("MEDGPT_ASK_REQUIRE_KEY", "");
    }
  });
});

describe("rate limits", () => {
  it("an anonymous client over its per-minute budget gets 429 with Retry-After before any stream; others are served", async () => {
    const from = (address: string) => askAs({ "x-forwarded-for": address });
    for (let i = 0; i < 3; i++) expect((await from("203.0.113.50")).status).toBe(200);
    const limited = await ask(
      new Request(ASK_URL, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.50", accept: "text/event-stream" },
        body: JSON.stringify({ case: CASE, options: OPTIONS }),
      }),
    );
    await expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await from("203.0.113.51")).status).toBe(200);
  });
});

describe("generations in flight", () => {
  it("beyond the cap and its short queue → 503 busy with Retry-After; a waiter gets the next free slot", async () => {
    const slots = new GenerationSlots(1, 1, 5_000);
    const never = new AbortController().signal;
    const first = await slots.acquire(never);
    const waiting = slots.acquire(never);
    const over = await rejection(slots.acquire(never));
    expect(over).toMatchObject({ code: "busy", status: 503, retryAfterS: 5 });
    first();
    const second = await waiting; // handed over, not counted twice
    expect(slots.inFlight).toBe(1);
    second();
    expect(slots.inFlight).toBe(0);
  });

  it("a waiter whose client leaves is dropped from the queue, and a wait that lasts too long is busy", async () => {
    const slots = new GenerationSlots(1, 2, 50);
    const hold = await slots.acquire(new AbortController().signal);
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal);
    leaving.abort(new DOMException("gone", "AbortError"));
    expect((await rejection(left)).name).toBe("AbortError");
    expect(await rejection(slots.acquire(new AbortController().signal))).toMatchObject({ code: "busy" });
    hold();
    expect(slots.inFlight).toBe(0);
  });
});
