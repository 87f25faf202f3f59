"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Field } from "@/components/ui/field";
import { Select, TextInput } from "@/components/ui/inputs";
import { JudgesResponseReader } from "./read-eval";
import { apiJson } from "./api";
import { AdminDetails } from "./problem";

export type JudgeChoice = { provider: string; model: string };

const label = (provider: string) => provider.charAt(0).toUpperCase() + provider.slice(1);
const modelOf = (example: string) => example.slice(example.indexOf(":") + 1);

/**
 * The judge picker. Which providers exist, which this server can use, and the default come from GET /api/judges:
 * the browser keeps no list of its own. A provider the server cannot use is shown disabled with the reason, so it is
 * never picked only to fail on submit.
 */
export function JudgeFields({
  value,
  onChange,
  disabled,
  error,
}: {
  value: JudgeChoice | null;
  onChange: (choice: JudgeChoice) => void;
  disabled: boolean;
  error: string | undefined;
}) {
  const judges = useQuery({
    queryKey: ["judges"],
    queryFn: () => apiJson("/api/judges", JudgesResponseReader),
    staleTime: 60_000,
  });
  const providers = judges.data?.providers ?? [];

  // Until the researcher picks, the form shows the server's default judge.
  useEffect(() => {
    if (value || !judges.data) return;
    const d = judges.data.default;
    onChange(
      d === "none" ? { provider: "none", model: "" } : { provider: d.slice(0, d.indexOf(":")), model: modelOf(d) },
    );
  }, [value, judges.data, onChange]);

  const current = value ?? { provider: "none", model: "" };
  const chosen = providers.find((p) => p.provider === current.provider);
  const example = chosen?.example;
  // A provider that can list its models (Ollama: the models pulled there) is offered them to choose from; the
  // others (Groq) take a typed name, with the example as placeholder.
  const listed = chosen?.models?.length ? chosen.models : null;
  const unavailable = providers.filter((p) => !p.available && p.reason);

  // Switching to a provider with a list picks from the list: its example model may not be pulled.
  useEffect(() => {
    if (listed && value && !listed.includes(value.model)) onChange({ ...value, model: listed[0]! });
  }, [listed, value, onChange]);
  return (
    <>
      <Field
        id="run-judge"
        label="Judge"
        hint={judges.isError ? "Could not load the judges; only “None” is offered." : undefined}
        footer={
          unavailable.length ? (
            <AdminDetails testId="judge-unavailable">
              {unavailable.map((p) => (
                <p key={p.provider}>
                  {label(p.provider)}: {p.reason}
                </p>
              ))}
            </AdminDetails>
          ) : null
        }
      >
        {(control) => (
          <Select
            {...control}
            value={current.provider}
            disabled={disabled}
            onChange={(e) => {
              const provider = e.target.value;
              const p = providers.find((x) => x.provider === provider);
              onChange({
                provider,
                model: provider === current.provider ? current.model : p ? modelOf(p.example) : "",
              });
            }}
          >
            <option value="none">None (exact match only)</option>
            {providers.map((p) => (
              <option key={p.provider} value={p.provider} disabled={!p.available}>
                {p.available ? label(p.provider) : `${label(p.provider)} (not set up on this server)`}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        id="run-judge-model"
        noteId="run-judge"
        label="Judge model"
        error={error}
        hint={
          listed
            ? `The judge scores each reasoning 0–5 against the reference. These are the models pulled in ${label(current.provider)}.`
            : "The judge scores each reasoning 0–5 against the reference."
        }
      >
        {(control) =>
          listed ? (
            <Select
              {...control}
              value={current.model}
              disabled={disabled}
              onChange={(e) => onChange({ ...current, model: e.target.value })}
              className="w-64 max-w-full"
            >
              {listed.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          ) : (
            <TextInput
              {...control}
              type="text"
              value={current.provider === "none" ? "" : current.model}
              disabled={disabled || current.provider === "none"}
              onChange={(e) => onChange({ ...current, model: e.target.value })}
              placeholder={example ? `e.g. ${modelOf(example)}` : "—"}
              className="w-64 max-w-full"
            />
          )
        }
      </Field>
    </>
  );
}
