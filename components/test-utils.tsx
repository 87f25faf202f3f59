import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import type { ReactElement } from "react";
import { vi } from "vitest";

// Helpers for the components' render tests (*.test.tsx, run in jsdom). The network is the boundary they replace:
// project modules run for real.

/** One request the page made, as the handler sees it. */
export type ApiCall = {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
  signal: AbortSignal | undefined;
};
export type ApiHandler = (call: ApiCall) => Response | Promise<Response> | undefined;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * Answers the page's fetches with `handler` (404 with an error envelope when it returns nothing) and records every
 * call, oldest first. Undone after each test by the setup file.
 */
export function serveApi(handler: ApiHandler): ApiCall[] {
  const calls: ApiCall[] = [];
  const fetchStub = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, "http://localhost");
    const call: ApiCall = {
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.pathname,
      search: url.searchParams,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    const res = await handler(call);
    return (
      res ?? json({ error: { code: "not_found", message: `No test answer for ${call.method} ${call.path}.` } }, 404)
    );
  };
  vi.stubGlobal("fetch", fetchStub);
  return calls;
}

/**
 * Renders `ui` the way the app does: under a React Query client (no retries, so a failure shows at once) and, for
 * components that navigate, an app router that records where it was sent and the page's search params.
 */
export function renderPage(ui: ReactElement, { searchParams = "" }: { searchParams?: string } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const pushed: string[] = [];
  const router: AppRouterInstance = {
    back: () => {},
    forward: () => {},
    refresh: () => {},
    push: (href) => void pushed.push(href),
    replace: (href) => void pushed.push(href),
    prefetch: () => {},
    bfcacheId: "test",
  };
  const result = render(
    <QueryClientProvider client={client}>
      <AppRouterContext.Provider value={router}>
        <SearchParamsContext.Provider value={new URLSearchParams(searchParams)}>{ui}</SearchParamsContext.Provider>
      </AppRouterContext.Provider>
    </QueryClientProvider>,
  );
  return { ...result, client, pushed };
}
