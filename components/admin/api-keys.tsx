"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field } from "@/components/ui/field";
import { TextInput } from "@/components/ui/inputs";
import type { ApiKeyView } from "@/lib/security/api-keys";
import { array, nullable, number, object, reader, string, type Shape } from "@/lib/schemas/read";
import { apiJson, apiPost, errorBodyOf } from "./api";
import { dateTime } from "./format";

// Integrators' API keys (GET/POST /api/keys, DELETE /api/keys/{id}). The key itself exists in this page only between
// "Create key" and "Done": it is never written to storage, the query cache or the URL.

// Read without zod (lib/schemas/read.ts), typed by the server's own view of a key.
export type { ApiKeyView };
const apiKeyShape: Shape<ApiKeyView> = object({
  id: string,
  name: string,
  createdAt: string,
  revokedAt: nullable(string),
  lastUsedAt: nullable(string),
  requestCount: number,
});
const ApiKeyReader = reader("The key", apiKeyShape);
const KeysListReader = reader("The keys list", object({ keys: array(apiKeyShape) }));
type CreatedKey = { id: string; name: string; key: string; createdAt: string };
const CreatedKeyReader = reader<CreatedKey>(
  "The new key",
  object({ id: string, name: string, key: string, createdAt: string }),
);

const KEYS = ["api-keys"] as const;
export const NAME_MAX = 100;

/** What is wrong with a key name, in plain words; undefined when it will do. Mirrors the server's rule. */
export function keyNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return "Enter a name for the key, such as the system that will use it.";
  if (trimmed.length > NAME_MAX) return `Keep the name to ${NAME_MAX} characters or fewer (now ${trimmed.length}).`;
  return undefined;
}

/** The whole page below its title: create a key, see it once, and the list of keys with Revoke. */
export function ApiKeys() {
  return (
    <div className="space-y-6">
      <CreateKey />
      <KeysList />
    </div>
  );
}

function CreateKey() {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const nameRef = useRef<HTMLInputElement>(null);
  // gcTime 0: once the reveal is dismissed (reset) or the page left, the answer holding the key is dropped at once.
  const create = useMutation({
    mutationFn: (keyName: string) => apiPost("/api/keys", CreatedKeyReader, { name: keyName }),
    gcTime: 0,
    onSuccess: () => {
      setName("");
      return client.invalidateQueries({ queryKey: KEYS });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = keyNameProblem(name);
    setNameError(problem);
    if (problem) {
      nameRef.current?.focus();
      return;
    }
    create.mutate(name.trim());
  }

  return (
    <section aria-labelledby="create-key-heading" className="space-y-3">
      <h2 id="create-key-heading" className="text-xl font-semibold">
        Create a key
      </h2>
      <form
        onSubmit={submit}
        noValidate
        aria-label="Create an API key"
        className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <Field
          id="key-name"
          label="Name"
          error={nameError}
          hint="Who or what will use it, e.g. “Ward 7 triage tool”."
          className="min-w-0 flex-1 basis-64"
        >
          {(control) => (
            <TextInput
              {...control}
              ref={nameRef}
              type="text"
              value={name}
              autoComplete="off"
              onChange={(e) => {
                setName(e.target.value);
                if (nameError) setNameError(undefined);
              }}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" disabled={create.isPending} className="sm:mt-6">
          {create.isPending ? "Creating…" : "Create key"}
        </Button>
      </form>
      {create.error ? <ErrorPanel error={errorBodyOf(create.error)} /> : null}
      {create.data ? <NewKey created={create.data} onDone={() => create.reset()} /> : null}
    </section>
  );
}

type CopyState = "idle" | "copied" | "failed";

/** The new key, shown this once: read-only, selectable, with Copy and a plain warning. */
function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const [copy, setCopy] = useState<CopyState>("idle");
  const box = useRef<HTMLDivElement>(null);
  const keyRef = useRef<HTMLInputElement>(null);

  // Focus moves to the new key's panel so that a screen reader reads the warning before anything else.
  useEffect(() => {
    box.current?.focus();
  }, [created.id]);

  async function copyKey() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy("copied");
    } catch {
      // No Clipboard API (a page over plain http) or permission refused: select the key for Ctrl+C instead.
      keyRef.current?.select();
      setCopy("failed");
    }
  }

  return (
    <div
      ref={box}
      tabIndex={-1}
      data-testid="new-key"
      aria-labelledby="new-key-title"
      aria-describedby="new-key-warning"
      role="region"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
    >
      <p id="new-key-title" className="font-semibold">
        Key “{created.name}” created
      </p>
      <p id="new-key-warning" data-testid="new-key-warning">
        Copy it now and keep it somewhere safe. It will not be shown again: MedGPT stores only a fingerprint of it. If
        it is lost, revoke it and create a new one.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="new-key-value" className="sr-only">
          New API key
        </label>
        <input
          ref={keyRef}
          id="new-key-value"
          readOnly
          value={created.key}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 basis-72 rounded-md border border-slate-500 bg-white px-2 py-1.5 font-mono text-xs focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        <Button variant="primary" size="sm" onClick={() => void copyKey()}>
          Copy
        </Button>
        <Button size="sm" onClick={onDone}>
          Done
        </Button>
      </div>
      <p role="status" data-testid="copy-status" className="min-h-5 text-xs">
        {copy === "copied"
          ? "Copied to the clipboard."
          : copy === "failed"
            ? "Could not copy automatically: the key is selected, press Ctrl+C (⌘+C on Mac) to copy it."
            : ""}
      </p>
    </div>
  );
}

const KEY_COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Requests", className: "text-right" },
  { label: "Status" },
  { label: <span className="sr-only">Actions</span> },
];

function KeysList() {
  const { data, error, isPending } = useQuery({
    queryKey: KEYS,
    queryFn: () => apiJson("/api/keys", KeysListReader),
  });
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const revokeButtons = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);

  /** Back to the list: focus returns to the key's Revoke button, or to the heading when the key is now revoked. */
  function closeConfirm(revokedId?: string) {
    const id = revoking?.id;
    setRevoking(null);
    requestAnimationFrame(() => {
      const button = id && id !== revokedId ? revokeButtons.current.get(id) : undefined;
      (button ?? heading.current)?.focus();
    });
  }

  return (
    <section aria-labelledby="keys-heading" className="space-y-3">
      <h2 id="keys-heading" ref={heading} tabIndex={-1} className="text-xl font-semibold focus:outline-none">
        Keys
      </h2>
      {revoking ? <RevokeConfirm target={revoking} onClose={closeConfirm} /> : null}
      {error ? (
        <ErrorPanel error={errorBodyOf(error)} />
      ) : isPending ? (
        <p className="text-sm text-slate-500">Loading keys…</p>
      ) : data.keys.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="keys-empty">
          No API keys yet. Create one above for each system that should call MedGPT&apos;s API, so that each can be
          revoked on its own.
        </p>
      ) : (
        <DataTable testId="keys-table" caption="API keys" columns={KEY_COLUMNS} minWidth="min-w-[640px]">
          {data.keys.map((k) => (
            <tr key={k.id} data-testid={`key-row-${k.id}`}>
              <td className="px-3 py-2 font-medium" data-testid="key-name">
                {k.name}
              </td>
              <td className="px-3 py-2 text-xs whitespace-nowrap" data-testid="key-created">
                {dateTime(k.createdAt)}
              </td>
              <td className="px-3 py-2 text-xs whitespace-nowrap" data-testid="key-last-used">
                {k.lastUsedAt ? dateTime(k.lastUsedAt) : "Never"}
              </td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="key-requests">
                {k.requestCount.toLocaleString()}
              </td>
              <td className="px-3 py-2 text-xs" data-testid="key-status">
                {k.revokedAt ? (
                  <span className="flex flex-col items-start gap-0.5">
                    <Badge tone="muted">Revoked</Badge>
                    <span className="whitespace-nowrap text-slate-600">{dateTime(k.revokedAt)}</span>
                  </span>
                ) : (
                  <Badge tone="success">Active</Badge>
                )}
              </td>
              <td className="px-3 py-2 text-right">
                {k.revokedAt ? null : (
                  <Button
                    ref={(el) => {
                      if (el) revokeButtons.current.set(k.id, el);
                      else revokeButtons.current.delete(k.id);
                    }}
                    variant="danger"
                    size="xs"
                    aria-label={`Revoke ${k.name}`}
                    aria-expanded={revoking?.id === k.id}
                    aria-controls={revoking?.id === k.id ? "revoke-confirm" : undefined}
                    onClick={() => setRevoking(k)}
                  >
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/**
 * Asks before revoking, inline above the table (outside its sideways scroll, so it is whole on a phone): a labelled
 * group whose safe choice, "Keep key", has focus first, so Enter or Escape keeps things as they are.
 */
function RevokeConfirm({ target, onClose }: { target: ApiKeyView; onClose: (revokedId?: string) => void }) {
  const client = useQueryClient();
  const keep = useRef<HTMLButtonElement>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => apiJson(`/api/keys/${encodeURIComponent(id)}`, ApiKeyReader, { method: "DELETE" }),
    onSuccess: async (revoked) => {
      await client.invalidateQueries({ queryKey: KEYS });
      onClose(revoked.id);
    },
  });

  useEffect(() => {
    keep.current?.focus();
  }, [target.id]);

  return (
    <div
      id="revoke-confirm"
      role="group"
      aria-labelledby="revoke-confirm-title"
      aria-describedby="revoke-confirm-text"
      data-testid="revoke-confirm"
      onKeyDown={(e) => {
        if (e.key === "Escape" && !revoke.isPending) {
          e.preventDefault();
          onClose();
        }
      }}
      className="space-y-3 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950"
    >
      <p id="revoke-confirm-title" className="font-semibold">
        Revoke the key “{target.name}”?
      </p>
      <p id="revoke-confirm-text">
        Anything that uses this key is refused from its next request. This cannot be undone; you can create a new key
        instead.
      </p>
      {revoke.error ? <ErrorPanel error={errorBodyOf(revoke.error)} /> : null}
      <div className="flex flex-wrap gap-2">
        <Button ref={keep} size="sm" onClick={() => onClose()} disabled={revoke.isPending}>
          Keep key
        </Button>
        <Button variant="danger" size="sm" onClick={() => revoke.mutate(target.id)} disabled={revoke.isPending}>
          {revoke.isPending ? "Revoking…" : "Revoke key"}
        </Button>
      </div>
    </div>
  );
}
