"use client";

import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import type { ErrorBody } from "@/lib/schemas/ask";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { TextInput } from "@/components/ui/inputs";

// The clinician's API key, for servers that require one (MEDGPT_ASK_REQUIRE_KEY) or that refused the one given.
// It is kept in sessionStorage (this tab, until it closes) and read only by `fetchWithSavedKey`, which adds it to
// the ask as `Authorization: Bearer`. Components learn only whether one is saved: the key is never shown or logged.

const STORAGE_KEY = "medgpt.apiKey";

/** Where sessionStorage is unavailable (some private modes), the key lives in this tab's memory instead. */
let memoryKey: string | null = null;
const listeners = new Set<() => void>();

function readKey(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

function writeKey(key: string | null) {
  memoryKey = null;
  try {
    if (key === null) window.sessionStorage.removeItem(STORAGE_KEY);
    else window.sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    memoryKey = key;
  }
  for (const l of listeners) l();
}

export const saveApiKey = (key: string) => writeKey(key.trim());
export const forgetApiKey = () => writeKey(null);

/** `fetch` with the saved key as a bearer, when there is one; passed to streamAsk as its `fetchImpl`. */
export const fetchWithSavedKey: typeof fetch = (input, init) => {
  const key = typeof window === "undefined" ? null : readKey();
  if (!key) return fetch(input, init);
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${key}`);
  return fetch(input, { ...init, headers });
};

function subscribe(onChange: () => void) {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** Whether a key is saved for this browser session (false while rendering on the server). */
export function useApiKeySaved(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => readKey() !== null,
    () => false,
  );
}

/** The ask failures the key prompt answers. */
export type KeyProblem = "api_key_required" | "invalid_api_key";

export function keyProblemOf(error: ErrorBody | null | undefined): KeyProblem | null {
  return error?.code === "api_key_required" || error?.code === "invalid_api_key" ? error.code : null;
}

const PROBLEM_WORDS: Record<KeyProblem | "required", string> = {
  required: "This MedGPT server answers only with an API key. Enter the key your administrator gave you.",
  api_key_required:
    "MedGPT needs an API key before it can answer. Enter the key your administrator gave you; your question is then asked.",
  invalid_api_key:
    "MedGPT did not accept that API key: it may be mistyped or revoked. Enter a valid key, or ask your administrator for a new one.",
};

/**
 * Asks for the API key when `needKey`: a labelled field, Save, and a line saying where it is kept. Once saved it
 * shows only "Key saved" and Forget key. Renders nothing when no key is needed or saved. `problem` is why the last
 * ask was refused (null when the server said up front that it needs a key); `focusRequest` moves focus to the field.
 */
export function ApiKeyPrompt({
  needKey,
  problem,
  focusRequest,
  onSaved,
}: {
  needKey: boolean;
  problem: KeyProblem | null;
  focusRequest: number;
  onSaved: () => void;
}) {
  const saved = useApiKeySaved();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [focusField, setFocusField] = useState(0);
  const field = useRef<HTMLInputElement>(null);
  const forgetButton = useRef<HTMLButtonElement>(null);
  const [focusForget, setFocusForget] = useState(0);

  useEffect(() => {
    if (focusRequest > 0 || focusField > 0) field.current?.focus();
  }, [focusRequest, focusField]);
  useEffect(() => {
    if (focusForget > 0) forgetButton.current?.focus();
  }, [focusForget]);

  function save(e: FormEvent) {
    e.preventDefault();
    if (!draft.trim()) {
      setError("Enter the API key.");
      field.current?.focus();
      return;
    }
    saveApiKey(draft);
    setDraft("");
    setError(undefined);
    setFocusForget((n) => n + 1);
    onSaved();
  }

  function forget() {
    forgetApiKey();
    setFocusField((n) => n + 1);
  }

  if (needKey) {
    return (
      <form
        onSubmit={save}
        noValidate
        aria-label="Your API key"
        data-testid="api-key-prompt"
        className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
      >
        <p id="api-key-why" role={problem ? "alert" : undefined} data-testid="api-key-why">
          {PROBLEM_WORDS[problem ?? "required"]}
        </p>
        <div className="flex flex-wrap items-start gap-2">
          <Field
            id="api-key"
            label="API key"
            error={error}
            hint="Kept only for this browser session: closing the tab forgets it."
            className="min-w-0 flex-1 basis-60"
          >
            {(control) => (
              <TextInput
                {...control}
                ref={field}
                type="password"
                value={draft}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => {
                  setDraft(e.target.value);
                  if (error) setError(undefined);
                }}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" size="sm" className="sm:mt-6">
            Save
          </Button>
        </div>
      </form>
    );
  }

  if (!saved) return null;
  return (
    <div
      data-testid="api-key-saved"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm"
    >
      <p role="status" className="text-slate-700">
        Key saved <span className="text-slate-500">(only for this browser session)</span>
      </p>
      <Button ref={forgetButton} variant="ghost" size="xs" onClick={forget}>
        Forget key
      </Button>
    </div>
  );
}
