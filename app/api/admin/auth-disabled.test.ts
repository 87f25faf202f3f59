import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { POST as login } from "@/app/api/admin/login/route";
import { GET as compare } from "@/app/api/compare/route";
import { GET as listDatasets, POST as importDataset } from "@/app/api/datasets/route";
import { POST as cancelRun } from "@/app/api/runs/[id]/cancel/route";
import { GET as exportRun } from "@/app/api/runs/[id]/export/route";
import { GET as itemDetail } from "@/app/api/runs/[id]/items/[idx]/route";
import { POST as mirrorRun } from "@/app/api/runs/[id]/mirror/route";
import { GET as results } from "@/app/api/runs/[id]/results/route";
import { GET as getRun } from "@/app/api/runs/[id]/route";
import { GET as listRuns, POST as createRun } from "@/app/api/runs/route";
import { ctx } from "@/test-support/api";
import { stubAdminEnv } from "@/test-support/api-client";

/**
 * Without ADMIN_TOKEN the admin area is disabled, never open: every admin API answers 403 admin_disabled, whatever
 * credentials are sent (ADMIN_TOKEN is unset in this file; config is read once per process, vitest isolates files).
 */

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-auth-disabled-"));
  stubAdminEnv({
    MEDGPT_DB_PATH: path.join(tmp, "medgpt.db"),
    OLLAMA_HOST: "http://127.0.0.1:9", // never contacted
  });
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

const BASE = "http://localhost";
const SOME_TOKEN = "0123456789abcdef0123456789abcdef";

type Call = { name: string; call: (headers: Record<string, string>) => Promise<Response> };

const jsonHeaders = (h: Record<string, string>) => ({ ...h, "content-type": "application/json" });

const CALLS: Call[] = [
  {
    name: "GET /api/datasets",
    call: (h) => listDatasets(new Request(`${BASE}/api/datasets`, { headers: h }), ctx({})),
  },
  {
    name: "POST /api/datasets",
    call: (h) =>
      importDataset(
        new Request(`${BASE}/api/datasets`, {
          method: "POST",
          headers: jsonHeaders(h),
          body: JSON.stringify({ text: "{}" }),
        }),
        ctx({}),
      ),
  },
  { name: "GET /api/runs", call: (h) => listRuns(new Request(`${BASE}/api/runs`, { headers: h }), ctx({})) },
  {
    name: "POST /api/runs",
    call: (h) =>
      createRun(
        new Request(`${BASE}/api/runs`, {
          method: "POST",
          headers: jsonHeaders(h),
          body: JSON.stringify({ datasetId: "ds_x", models: ["m"] }),
        }),
        ctx({}),
      ),
  },
  {
    name: "GET /api/runs/{id}",
    call: (h) => getRun(new Request(`${BASE}/api/runs/run_x`, { headers: h }), ctx({ id: "run_x" })),
  },
  {
    name: "GET /api/runs/{id}/results",
    call: (h) => results(new Request(`${BASE}/api/runs/run_x/results`, { headers: h }), ctx({ id: "run_x" })),
  },
  {
    name: "GET /api/runs/{id}/items/{idx}",
    call: (h) =>
      itemDetail(new Request(`${BASE}/api/runs/run_x/items/0`, { headers: h }), ctx({ id: "run_x", idx: "0" })),
  },
  {
    name: "GET /api/runs/{id}/export",
    call: (h) =>
      exportRun(new Request(`${BASE}/api/runs/run_x/export?format=csv`, { headers: h }), ctx({ id: "run_x" })),
  },
  {
    name: "POST /api/runs/{id}/cancel",
    call: (h) =>
      cancelRun(new Request(`${BASE}/api/runs/run_x/cancel`, { method: "POST", headers: h }), ctx({ id: "run_x" })),
  },
  {
    name: "POST /api/runs/{id}/mirror",
    call: (h) =>
      mirrorRun(new Request(`${BASE}/api/runs/run_x/mirror`, { method: "POST", headers: h }), ctx({ id: "run_x" })),
  },
  {
    name: "GET /api/compare",
    call: (h) => compare(new Request(`${BASE}/api/compare?runA=a&modelA=m&runB=b&modelB=m`, { headers: h }), ctx({})),
  },
];

const CREDENTIALS: Record<string, Record<string, string>> = {
  "no credentials": {},
  "a bearer token": { authorization: `Bearer ${SOME_TOKEN}` },
  "an empty bearer": { authorization: "Bearer " },
  "a session cookie": { cookie: `medgpt_admin=${"a".repeat(64)}` },
  "an empty session cookie": { cookie: "medgpt_admin=" },
};

async function expectDisabled(res: Response) {
  expect(res.status).toBe(403);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = ErrorEnvelopeSchema.parse(await res.json());
  expect(body.error.code).toBe("admin_disabled");
  expect(body.error.message).toMatch(/ADMIN_TOKEN/);
  expect(body.error.fix).toMatch(/ADMIN_TOKEN/);
}

describe("admin APIs without ADMIN_TOKEN", () => {
  for (const { name, call } of CALLS) {
    it(`${name} answers 403 admin_disabled to every kind of credential`, async () => {
      for (const [, headers] of Object.entries(CREDENTIALS)) await expectDisabled(await call(headers));
    });
  }

  it("POST /api/admin/login answers 403 admin_disabled and sets no cookie, whatever token is offered", async () => {
    for (const token of [SOME_TOKEN, "", "x"]) {
      const res = await login(
        new Request(`${BASE}/api/admin/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token }),
        }),
      );
      expect(res.headers.get("set-cookie")).toBeNull();
      await expectDisabled(res);
    }
  });
});
