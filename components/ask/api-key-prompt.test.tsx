import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderPage, type ApiCall } from "@/components/test-utils";
import { AskForm } from "./ask-form";
import { askButton, askCalls, fillQuestion, fullReply, servePage, sse, THRESHOLDS } from "./testing";

const KEY = "mgk_clinic-key-0123456789abcdefghijklmnopqrstuvwxyz";

const keyError = (code: "api_key_required" | "invalid_api_key", message: string) =>
  json({ error: { code, message, fix: "Send Authorization: Bearer <your API key>." } }, 401);

/**
 * The page's API (health, models, /api/ask answered by `ask`), and the Authorization header of every ask: test-utils
 * records bodies, not headers, so fetch is wrapped once more here to see them.
 */
function serveWithHeaders(ask: (call: ApiCall, auth: string | null) => Response) {
  const auths: (string | null)[] = [];
  let lastAuth: string | null = null;
  const calls = servePage({ ask: (call) => ask(call, lastAuth) });
  const inner = globalThis.fetch;
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (href.endsWith("/api/ask")) {
      lastAuth = new Headers(init?.headers).get("authorization");
      auths.push(lastAuth);
    }
    return inner(input, init);
  });
  return { calls, auths };
}

/** The server with MEDGPT_ASK_REQUIRE_KEY: only the right key is served. */
const requireKeyServer = (call: ApiCall, auth: string | null) =>
  auth === null
    ? keyError("api_key_required", "This server requires an API key.")
    : auth === `Bearer ${KEY}`
      ? sse(fullReply())
      : keyError("invalid_api_key", "That API key is not valid.");

function renderForm({ requireKey }: { requireKey: boolean }) {
  return renderPage(<AskForm defaultModel="mrizwank97/medgpt" thresholds={THRESHOLDS} requireKey={requireKey} />);
}

const keyOnScreen = () =>
  document.body.textContent!.includes(KEY) ||
  [...document.querySelectorAll("input, textarea")].some((i) => (i as HTMLInputElement).value.includes(KEY));

async function saveKey(user: ReturnType<typeof userEvent.setup>, key = KEY) {
  await user.type(screen.getByLabelText("API key"), key);
  await user.click(screen.getByRole("button", { name: "Save" }));
}

beforeEach(() => sessionStorage.clear());
afterEach(() => sessionStorage.clear());

describe("the API key prompt", () => {
  it("stays away when the server does not require a key and none is saved", () => {
    servePage();
    renderForm({ requireKey: false });
    expect(screen.queryByTestId("api-key-prompt")).toBeNull();
    expect(screen.queryByTestId("api-key-saved")).toBeNull();
    expect(askButton().disabled).toBe(false);
  });

  it("asks for the key up front when the server requires one, and holds Ask until it is saved", async () => {
    const { auths } = serveWithHeaders(requireKeyServer);
    renderForm({ requireKey: true });

    const prompt = screen.getByTestId("api-key-prompt");
    expect(screen.getByTestId("api-key-why").textContent).toBe(
      "This MedGPT server answers only with an API key. Enter the key your administrator gave you.",
    );
    const field = screen.getByLabelText("API key") as HTMLInputElement;
    expect(field.type).toBe("password");
    expect(document.getElementById(field.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Kept only for this browser session: closing the tab forgets it.",
    );
    expect(askButton().disabled).toBe(true);
    expect(screen.getByTestId("ask-blocked").textContent).toBe("Save your API key above, then ask.");

    const user = userEvent.setup();
    await user.click(within(prompt).getByRole("button", { name: "Save" }));
    expect(screen.getByTestId("api-key-error").textContent).toBe("Enter the API key.");
    expect(document.activeElement).toBe(field);
    expect(sessionStorage.length).toBe(0);

    await saveKey(user);
    expect(screen.queryByTestId("api-key-prompt")).toBeNull();
    expect(screen.getByTestId("api-key-saved").textContent).toContain("Key saved");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Forget key" }));
    expect(keyOnScreen()).toBe(false);
    expect(sessionStorage.getItem("medgpt.apiKey")).toBe(KEY);
    expect(localStorage.length).toBe(0);

    await fillQuestion();
    await user.click(askButton());
    expect(await screen.findByTestId("answer")).toBeTruthy();
    expect(auths).toEqual([`Bearer ${KEY}`]);
    expect(keyOnScreen()).toBe(false);
  });

  it("sends a key saved earlier in this session without asking again", async () => {
    sessionStorage.setItem("medgpt.apiKey", KEY);
    const { auths } = serveWithHeaders(requireKeyServer);
    renderForm({ requireKey: true });
    expect(screen.queryByTestId("api-key-prompt")).toBeNull();
    expect(screen.getByTestId("api-key-saved")).toBeTruthy();

    const user = await fillQuestion();
    await user.click(askButton());
    expect(await screen.findByTestId("answer")).toBeTruthy();
    expect(auths).toEqual([`Bearer ${KEY}`]);
  });

  it("asks for a key when an ask is refused with api_key_required, then asks the question again with it", async () => {
    const { calls, auths } = serveWithHeaders(requireKeyServer);
    renderForm({ requireKey: false });
    const user = await fillQuestion();
    await user.click(askButton());

    const field = await screen.findByLabelText("API key");
    expect(screen.getByTestId("api-key-why").getAttribute("role")).toBe("alert");
    expect(screen.getByTestId("api-key-why").textContent).toContain("MedGPT needs an API key before it can answer.");
    await waitFor(() => expect(document.activeElement).toBe(field));
    // The prompt explains; the answer side waits rather than showing a generic failure.
    expect(screen.queryByTestId("error-panel")).toBeNull();
    expect(screen.getByTestId("answer-placeholder")).toBeTruthy();

    await saveKey(user);
    expect(await screen.findByTestId("answer")).toBeTruthy();
    expect(auths).toEqual([null, `Bearer ${KEY}`]);
    expect(askCalls(calls).map((c) => c.body)).toEqual([askCalls(calls)[0]!.body, askCalls(calls)[0]!.body]);
    expect(screen.getByTestId("api-key-saved")).toBeTruthy();
  });

  it("asks again when the saved key is refused (invalid_api_key), and forgets the refused one", async () => {
    sessionStorage.setItem("medgpt.apiKey", "mgk_revoked");
    const { auths } = serveWithHeaders(requireKeyServer);
    renderForm({ requireKey: true });
    const user = await fillQuestion();
    await user.click(askButton());

    await screen.findByTestId("api-key-prompt");
    expect(screen.getByTestId("api-key-why").textContent).toBe(
      "MedGPT did not accept that API key: it may be mistyped or revoked. Enter a valid key, or ask your administrator for a new one.",
    );
    expect(sessionStorage.getItem("medgpt.apiKey")).toBeNull();
    expect(screen.queryByTestId("api-key-saved")).toBeNull();

    await saveKey(user);
    expect(await screen.findByTestId("answer")).toBeTruthy();
    expect(auths).toEqual(["Bearer mgk_revoked", `Bearer ${KEY}`]);
  });

  it("Forget key removes it: the prompt returns where a key is required, and asks go without it", async () => {
    sessionStorage.setItem("medgpt.apiKey", KEY);
    const { auths } = serveWithHeaders(() => sse(fullReply()));
    const { unmount } = renderForm({ requireKey: true });
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "Forget key" }));
    expect(sessionStorage.getItem("medgpt.apiKey")).toBeNull();
    const field = screen.getByLabelText("API key");
    expect(document.activeElement).toBe(field);
    expect(askButton().disabled).toBe(true);
    unmount();

    // Where no key is required, forgetting it leaves anonymous asks.
    sessionStorage.setItem("medgpt.apiKey", KEY);
    renderForm({ requireKey: false });
    await user.click(screen.getByRole("button", { name: "Forget key" }));
    expect(screen.queryByTestId("api-key-prompt")).toBeNull();
    expect(screen.queryByTestId("api-key-saved")).toBeNull();
    await fillQuestion();
    await user.click(askButton());
    expect(await screen.findByTestId("answer")).toBeTruthy();
    expect(auths).toEqual([null]);
  });
});
