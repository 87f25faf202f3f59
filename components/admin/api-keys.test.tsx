import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { ApiKeys, type ApiKeyView } from "./api-keys";
import { dateTime } from "./format";

const SECRET = "mgk_s3cr3t-only-shown-once_0123456789abcdefghijklmnop";

const key = (over: Partial<ApiKeyView> = {}): ApiKeyView => ({
  id: "key_1",
  name: "Ward 7 triage tool",
  createdAt: "2025-03-01T09:30:00.000Z",
  revokedAt: null,
  lastUsedAt: "2025-03-02T14:05:00.000Z",
  requestCount: 1234,
  ...over,
});

/** GET/POST /api/keys and DELETE /api/keys/{id}, kept the way the server keeps them (never the key itself). */
function serveKeys(initial: ApiKeyView[]) {
  const keys = [...initial];
  const calls = serveApi(({ method, path, body }) => {
    if (path === "/api/keys" && method === "GET") return json({ keys });
    if (path === "/api/keys" && method === "POST") {
      const name = (body as { name: string }).name;
      const created = key({
        id: "key_new",
        name,
        createdAt: "2025-03-03T08:00:00.000Z",
        lastUsedAt: null,
        requestCount: 0,
      });
      keys.unshift(created);
      return json({ id: created.id, name, key: SECRET, createdAt: created.createdAt }, 201);
    }
    const m = /^\/api\/keys\/([^/]+)$/.exec(path);
    if (m && method === "DELETE") {
      const i = keys.findIndex((k) => k.id === decodeURIComponent(m[1]!));
      if (i < 0)
        return json({ error: { code: "not_found", message: "There is no such key.", fix: "Check the URL." } }, 404);
      keys[i] = { ...keys[i]!, revokedAt: keys[i]!.revokedAt ?? "2025-03-04T10:00:00.000Z" };
      return json(keys[i]);
    }
    return undefined;
  });
  return { calls, keys };
}

const keyOnScreen = () =>
  document.body.textContent!.includes(SECRET) ||
  [...document.querySelectorAll("input")].some((i) => i.value.includes(SECRET));

describe("ApiKeys: the list", () => {
  it("shows each key's name, created, last used, request count and status; no Revoke for a revoked key", async () => {
    serveKeys([
      key(),
      key({
        id: "key_2",
        name: "Old pilot",
        lastUsedAt: null,
        requestCount: 0,
        revokedAt: "2025-03-02T18:00:00.000Z",
      }),
    ]);
    renderPage(<ApiKeys />);

    const live = await screen.findByTestId("key-row-key_1");
    expect(within(live).getByTestId("key-name").textContent).toBe("Ward 7 triage tool");
    expect(within(live).getByTestId("key-created").textContent).toBe(dateTime("2025-03-01T09:30:00.000Z"));
    expect(within(live).getByTestId("key-last-used").textContent).toBe(dateTime("2025-03-02T14:05:00.000Z"));
    expect(within(live).getByTestId("key-requests").textContent).toBe((1234).toLocaleString());
    expect(within(live).getByTestId("key-status").textContent).toBe("Active");
    expect(within(live).getByRole("button", { name: "Revoke Ward 7 triage tool" })).toBeTruthy();

    const revoked = screen.getByTestId("key-row-key_2");
    expect(within(revoked).getByTestId("key-last-used").textContent).toBe("Never");
    expect(within(revoked).getByTestId("key-status").textContent).toBe(
      `Revoked${dateTime("2025-03-02T18:00:00.000Z")}`,
    );
    expect(within(revoked).queryByRole("button")).toBeNull();
    expect(screen.getByTestId("keys-table").querySelector("caption")?.textContent).toBe("API keys");
  });

  it("says so when there are no keys", async () => {
    serveKeys([]);
    renderPage(<ApiKeys />);
    expect((await screen.findByTestId("keys-empty")).textContent).toContain("No API keys yet.");
    expect(screen.queryByTestId("keys-table")).toBeNull();
  });

  it("shows a failed list in the error panel", async () => {
    serveApi(() =>
      json({ error: { code: "unauthorized", message: "Log in first.", fix: "Log in at /admin/login." } }, 401),
    );
    renderPage(<ApiKeys />);
    const panel = await screen.findByTestId("error-panel");
    expect(panel.textContent).toContain("Log in first.");
    expect(panel.textContent).toContain("How to fix: Log in at /admin/login.");
  });
});

describe("ApiKeys: creating a key", () => {
  it("asks for a name in plain words and sends nothing without one", async () => {
    const { calls } = serveKeys([]);
    renderPage(<ApiKeys />);
    await screen.findByTestId("keys-empty");
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("Name"), "   ");
    await user.click(screen.getByRole("button", { name: "Create key" }));

    const name = screen.getByLabelText("Name");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("key-name-error").textContent).toBe(
      "Enter a name for the key, such as the system that will use it.",
    );
    expect(document.activeElement).toBe(name);
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    await user.clear(name);
    await user.type(name, "x".repeat(101));
    await user.click(screen.getByRole("button", { name: "Create key" }));
    expect(screen.getByTestId("key-name-error").textContent).toBe(
      "Keep the name to 100 characters or fewer (now 101).",
    );
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("shows the new key once, with Copy and a warning; Done, leaving or reloading never shows it again", async () => {
    const { calls } = serveKeys([key()]);
    const first = renderPage(<ApiKeys />);
    await screen.findByTestId("key-row-key_1");
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("Name"), "  Lab integration  ");
    await user.click(screen.getByRole("button", { name: "Create key" }));

    const panel = await screen.findByTestId("new-key");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Lab integration" });
    expect(within(panel).getByText("Key “Lab integration” created")).toBeTruthy();
    expect(screen.getByTestId("new-key-warning").textContent).toContain("It will not be shown again");
    expect((within(panel).getByLabelText("New API key") as HTMLInputElement).value).toBe(SECRET);
    expect(document.activeElement).toBe(panel);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("");

    await user.click(within(panel).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(screen.getByTestId("copy-status").textContent).toBe("Copied to the clipboard.");

    // The list is reloaded with the new key's name and fields, never the key.
    const row = await screen.findByTestId("key-row-key_new");
    expect(within(row).getByTestId("key-name").textContent).toBe("Lab integration");
    expect(within(row).getByTestId("key-last-used").textContent).toBe("Never");
    expect(screen.getByTestId("keys-table").textContent).not.toContain(SECRET);

    // Done: gone for good, including from the query cache.
    await user.click(within(panel).getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("new-key")).toBeNull();
    expect(keyOnScreen()).toBe(false);
    expect(
      JSON.stringify(
        first.client
          .getQueryCache()
          .getAll()
          .map((q) => q.state.data),
      ),
    ).not.toContain(SECRET);
    expect(
      JSON.stringify(
        first.client
          .getMutationCache()
          .getAll()
          .map((m) => m.state.data),
      ),
    ).not.toContain(SECRET);
    expect(sessionStorage.length + localStorage.length).toBe(0);
  });

  it("does not show the key again after leaving the page and coming back", async () => {
    serveKeys([]);
    const first = renderPage(<ApiKeys />);
    await screen.findByTestId("keys-empty");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Name"), "Lab integration");
    await user.click(screen.getByRole("button", { name: "Create key" }));
    await screen.findByTestId("new-key");
    expect(keyOnScreen()).toBe(true);

    first.unmount();
    renderPage(<ApiKeys />);
    await screen.findByTestId("key-row-key_new");
    expect(screen.queryByTestId("new-key")).toBeNull();
    expect(keyOnScreen()).toBe(false);
  });

  it("shows a refused create in the error panel", async () => {
    serveApi(({ method, path }) => {
      if (path === "/api/keys" && method === "GET") return json({ keys: [] });
      if (path === "/api/keys" && method === "POST")
        return json(
          {
            error: {
              code: "csrf_rejected",
              message: "Cross-site request refused.",
              fix: "Use MedGPT's own pages, or send the admin token as a bearer from scripts.",
            },
          },
          403,
        );
      return undefined;
    });
    renderPage(<ApiKeys />);
    await screen.findByTestId("keys-empty");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Name"), "Lab integration");
    await user.click(screen.getByRole("button", { name: "Create key" }));
    expect((await screen.findByTestId("error-panel")).textContent).toContain("Cross-site request refused.");
    expect(screen.queryByTestId("new-key")).toBeNull();
  });
});

describe("ApiKeys: revoking a key", () => {
  it("asks first, with Keep key focused; Keep and Escape change nothing and give focus back", async () => {
    const { calls } = serveKeys([key()]);
    renderPage(<ApiKeys />);
    const revokeButton = await screen.findByRole("button", { name: "Revoke Ward 7 triage tool" });
    const user = userEvent.setup();

    await user.click(revokeButton);
    const confirm = screen.getByRole("group", { name: "Revoke the key “Ward 7 triage tool”?" });
    expect(confirm.getAttribute("aria-describedby")).toBe("revoke-confirm-text");
    expect(screen.getByText(/refused from its next request/).id).toBe("revoke-confirm-text");
    expect(revokeButton.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement).toBe(within(confirm).getByRole("button", { name: "Keep key" }));

    await user.click(within(confirm).getByRole("button", { name: "Keep key" }));
    expect(screen.queryByTestId("revoke-confirm")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(revokeButton));

    await user.click(revokeButton);
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("revoke-confirm")).toBeNull();
    expect(calls.filter((c) => c.method === "DELETE")).toEqual([]);
  });

  it("revokes on confirmation: DELETE, then the row says Revoked and has no Revoke button", async () => {
    const { calls } = serveKeys([key()]);
    renderPage(<ApiKeys />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Revoke Ward 7 triage tool" }));
    await user.click(screen.getByRole("button", { name: "Revoke key" }));

    await waitFor(() => expect(screen.queryByTestId("revoke-confirm")).toBeNull());
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/keys/key_1"]);
    const row = screen.getByTestId("key-row-key_1");
    expect(within(row).getByTestId("key-status").textContent).toContain("Revoked");
    expect(within(row).queryByRole("button")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Keys" })));
  });

  it("keeps the confirmation open with the server's error when revoking fails", async () => {
    serveApi(({ method, path }) => {
      if (path === "/api/keys" && method === "GET") return json({ keys: [key()] });
      return json({ error: { code: "not_found", message: "There is no API key key_1.", fix: "Check the URL." } }, 404);
    });
    renderPage(<ApiKeys />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Revoke Ward 7 triage tool" }));
    await user.click(screen.getByRole("button", { name: "Revoke key" }));
    const confirm = screen.getByTestId("revoke-confirm");
    expect((await within(confirm).findByTestId("error-panel")).textContent).toContain("There is no API key key_1.");
  });
});
