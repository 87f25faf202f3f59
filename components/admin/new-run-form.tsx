"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError, Fieldset } from "@/components/ui/field";
import { Select, TextInput } from "@/components/ui/inputs";
import type { ErrorBody } from "@/lib/schemas/ask";
import type { CreateRunRequest } from "@/eval/api/schemas";
import { useModelChoices } from "@/components/use-models";
import { ApiError, apiPost, errorBodyOf } from "./api";
import { fetchDatasets } from "./datasets";
import { JudgeFields, type JudgeChoice } from "./judge-fields";
import { runHref } from "./format";
import { ProblemPanel } from "./problem";
import { RunViewReader } from "./read-eval";

type ItemMode = "all" | "limit" | "sample";
type FormField =
  "datasetId" | "models" | "count" | "seed" | "judge" | "concurrency" | "temperature" | "maxTokens" | "samples";

const DIRECT_FIELDS: readonly FormField[] = [
  "datasetId",
  "models",
  "seed",
  "judge",
  "concurrency",
  "temperature",
  "maxTokens",
  "samples",
];

/** The request field an issue path points at, as the form's field. */
function fieldOf(path: (string | number)[]): FormField | null {
  const head = path[0];
  if (typeof head === "string" && (DIRECT_FIELDS as readonly string[]).includes(head)) return head as FormField;
  if (head === "limit" || head === "sample") return "count";
  return null;
}

/**
 * The API's own request schema, which the form checks what it sends with. It is zod, so it loads after the form
 * appears instead of with the page (zod is kept out of the dashboard's first-load JavaScript); the form asks for it
 * as it mounts, and a submit waits for it. Should it fail to load, the form sends unchecked and shows the server's
 * issues (the server checks with the same schema).
 */
let runRequestSchema: Promise<typeof import("@/eval/api/schemas").CreateRunRequestSchema | null> | undefined;
const loadRunRequestSchema = () =>
  (runRequestSchema ??= import("@/eval/api/schemas").then(
    (m) => m.CreateRunRequestSchema,
    () => {
      runRequestSchema = undefined;
      return null;
    },
  ));

/** Said next to the samples field as soon as the combination is chosen, before anything is sent. */
export const SAMPLES_NEED_TEMPERATURE =
  "More than one sample needs a temperature above 0: at 0 every sample would be the same answer.";

/** New evaluation run. Validates with the API's own schema first, then shows the API's issues by field. */
export function NewRunForm({
  initialDatasetId,
  defaultModel,
}: {
  initialDatasetId: string | null;
  defaultModel: string;
}) {
  const router = useRouter();
  useEffect(() => void loadRunRequestSchema(), []);
  const checking = useRef(false);
  const datasets = useQuery({ queryKey: ["datasets"], queryFn: fetchDatasets });
  const { query: models, choices: modelNames } = useModelChoices(defaultModel);

  const [datasetChoice, setDatasetChoice] = useState<string | null>(initialDatasetId);
  const [modelChoice, setModelChoice] = useState<string[] | null>(null);
  const [itemMode, setItemMode] = useState<ItemMode>("all");
  const [count, setCount] = useState("50");
  const [seed, setSeed] = useState("42");
  const [judge, setJudge] = useState<JudgeChoice | null>(null);
  const [concurrency, setConcurrency] = useState("2");
  const [temperature, setTemperature] = useState("0");
  const [maxTokens, setMaxTokens] = useState("1024");
  const [samples, setSamples] = useState("1");
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FormField, string>>>({});
  const [formError, setFormError] = useState<ErrorBody | null>(null);

  const selectedModels = modelChoice ?? [defaultModel];
  const datasetList = datasets.data?.datasets ?? [];
  const datasetId = datasetChoice ?? datasetList[0]?.id ?? "";
  const chosenDataset = datasetList.find((d) => d.id === datasetId);

  const create = useMutation({
    mutationFn: (body: CreateRunRequest) => apiPost("/api/runs", RunViewReader, body),
    onSuccess: (run) => router.push(runHref(run.id)),
    onError: (err) => {
      const body = errorBodyOf(err);
      setFormError(body);
      if (err instanceof ApiError && body.issues) setFieldErrors(issuesByField(body.issues));
    },
  });

  function issuesByField(issues: { path: (string | number)[]; message: string }[]) {
    const out: Partial<Record<FormField, string>> = {};
    for (const i of issues) {
      const f = fieldOf(i.path);
      if (f && !out[f]) out[f] = i.message;
    }
    return out;
  }

  function toggleModel(name: string, on: boolean) {
    setModelChoice(on ? [...selectedModels.filter((m) => m !== name), name] : selectedModels.filter((m) => m !== name));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (create.isPending || checking.current) return;
    setFormError(null);
    const n = Number(count);
    const body = {
      datasetId,
      // Keep the order the models are listed in.
      models: modelNames.filter((m) => selectedModels.includes(m)),
      limit: itemMode === "limit" ? n : null,
      sample: itemMode === "sample" ? n : null,
      seed: Number(seed),
      judge: !judge || judge.provider === "none" ? "none" : `${judge.provider}:${judge.model.trim()}`,
      ...(concurrency.trim() === "" ? {} : { concurrency: Number(concurrency) }),
      temperature: Number(temperature),
      maxTokens: Number(maxTokens),
      samples: Number(samples),
    };
    checking.current = true;
    const schema = await loadRunRequestSchema().finally(() => (checking.current = false));
    if (!schema) {
      setFieldErrors({});
      create.mutate(body as CreateRunRequest);
      return;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const errs = issuesByField(
        parsed.error.issues.map((i) => ({ path: i.path.filter((p) => typeof p !== "symbol"), message: i.message })),
      );
      if (!body.datasetId) errs.datasetId = "Choose a dataset (upload one first).";
      if (body.models.length === 0) errs.models = "Choose at least one model.";
      if (judge && judge.provider !== "none" && !judge.model.trim()) errs.judge = "Name the judge model.";
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    create.mutate(parsed.data);
  }

  const busy = create.isPending || create.isSuccess;
  /** A change to a field clears what was said about it (and, for the two that depend on each other, both). */
  const clearErrors = (...fields: FormField[]) =>
    setFieldErrors((errs) =>
      fields.some((f) => errs[f])
        ? Object.fromEntries(Object.entries(errs).filter(([k]) => !fields.includes(k as FormField)))
        : errs,
    );
  const samplesNeedTemperature = Number(samples) > 1 && Number(temperature) === 0;

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New run" noValidate>
      <Fieldset legend="Dataset">
        {datasets.error ? <ProblemPanel error={errorBodyOf(datasets.error)} /> : null}
        <Field
          id="run-dataset"
          label="Dataset"
          error={fieldErrors.datasetId}
          footer={
            !datasets.isPending && datasetList.length === 0 ? (
              <p className="text-xs text-slate-600">
                <Link href="/admin" className="text-brand-700 underline">
                  Upload a dataset
                </Link>{" "}
                first.
              </p>
            ) : null
          }
        >
          {(control) => (
            <Select
              {...control}
              value={datasetId}
              onChange={(e) => setDatasetChoice(e.target.value)}
              disabled={busy || datasets.isPending}
            >
              {datasets.isPending ? <option value="">Loading…</option> : null}
              {!datasets.isPending && datasetList.length === 0 ? <option value="">No datasets yet</option> : null}
              {datasetList.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.itemCount} items)
                </option>
              ))}
            </Select>
          )}
        </Field>
      </Fieldset>

      <Fieldset legend="Models">
        <p className="text-xs text-slate-500">Choose one to four models; each answers every selected question.</p>
        <div
          role="group"
          aria-describedby={fieldErrors.models ? "run-models-error" : undefined}
          className="flex flex-wrap gap-x-6 gap-y-2"
        >
          {modelNames.map((name, i) => (
            <label key={name} htmlFor={`run-model-${i}`} className="flex items-center gap-2 text-sm">
              <input
                id={`run-model-${i}`}
                type="checkbox"
                checked={selectedModels.includes(name)}
                disabled={busy}
                onChange={(e) => toggleModel(name, e.target.checked)}
                className="h-4 w-4 accent-brand-600"
              />
              <span className="font-mono">{name}</span>
            </label>
          ))}
        </div>
        {models.isPending ? <p className="text-xs text-slate-500">Listing models…</p> : null}
        {models.error ? (
          <p className="text-xs text-amber-700">
            Could not list the backend&apos;s models ({errorBodyOf(models.error).message}); only the default is offered.
          </p>
        ) : null}
        <FieldError id="run-models-error" message={fieldErrors.models} />
      </Fieldset>

      <Fieldset legend="Questions">
        <div className="flex flex-wrap gap-x-6 gap-y-2" role="radiogroup" aria-label="Which questions">
          {(
            [
              ["all", `All items${chosenDataset ? ` (${chosenDataset.itemCount})` : ""}`],
              ["limit", "The first N items"],
              ["sample", "A seeded random sample of N"],
            ] as const
          ).map(([mode, label]) => (
            <label key={mode} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="item-mode"
                value={mode}
                checked={itemMode === mode}
                disabled={busy}
                onChange={() => setItemMode(mode)}
                className="h-4 w-4 accent-brand-600"
              />
              {label}
            </label>
          ))}
        </div>
        <div className="flex flex-wrap gap-4">
          <Field id="run-count" label="N (items)" error={fieldErrors.count}>
            {(control) => (
              <TextInput
                {...control}
                type="number"
                min={1}
                max={100000}
                value={count}
                disabled={busy || itemMode === "all"}
                onChange={(e) => setCount(e.target.value)}
                className="w-28"
              />
            )}
          </Field>
          <Field id="run-seed" label="Seed" error={fieldErrors.seed} hint="Picks the sample and seeds generation.">
            {(control) => (
              <TextInput
                {...control}
                type="number"
                min={0}
                value={seed}
                disabled={busy}
                onChange={(e) => setSeed(e.target.value)}
                className="w-28"
              />
            )}
          </Field>
        </div>
      </Fieldset>

      <Fieldset legend="Generation">
        <div className="flex flex-wrap items-start gap-4">
          <Field
            id="run-temperature"
            label="Temperature"
            error={fieldErrors.temperature}
            hint="0 (always the most likely token) to 2."
          >
            {(control) => (
              <TextInput
                {...control}
                type="number"
                min={0}
                max={2}
                step={0.1}
                value={temperature}
                disabled={busy}
                onChange={(e) => {
                  setTemperature(e.target.value);
                  clearErrors("temperature", "samples");
                }}
                className="w-24"
              />
            )}
          </Field>
          <Field id="run-max-tokens" label="Max tokens per answer" error={fieldErrors.maxTokens} hint="1–4096.">
            {(control) => (
              <TextInput
                {...control}
                type="number"
                min={1}
                max={4096}
                value={maxTokens}
                disabled={busy}
                onChange={(e) => {
                  setMaxTokens(e.target.value);
                  clearErrors("maxTokens");
                }}
                className="w-28"
              />
            )}
          </Field>
          <Field
            id="run-samples"
            label="Samples per question"
            className="max-w-xs"
            error={fieldErrors.samples ?? (samplesNeedTemperature ? SAMPLES_NEED_TEMPERATURE : undefined)}
            hint="1 is one answer per question. 2–20 asks again and takes the majority vote (self-consistency); needs a temperature above 0."
          >
            {(control) => (
              <TextInput
                {...control}
                type="number"
                min={1}
                max={20}
                value={samples}
                disabled={busy}
                onChange={(e) => {
                  setSamples(e.target.value);
                  clearErrors("temperature", "samples");
                }}
                className="w-24"
              />
            )}
          </Field>
        </div>
      </Fieldset>

      <Fieldset legend="Scoring and speed">
        <div className="flex flex-wrap items-start gap-4">
          <JudgeFields value={judge} onChange={setJudge} disabled={busy} error={fieldErrors.judge} />
          <Field
            id="run-concurrency"
            label="Concurrency"
            error={fieldErrors.concurrency}
            hint="Generations at once (1–16)."
          >
            {(control) => (
              <TextInput
                {...control}
                type="number"
                min={1}
                max={16}
                value={concurrency}
                disabled={busy}
                onChange={(e) => setConcurrency(e.target.value)}
                className="w-24"
              />
            )}
          </Field>
        </div>
      </Fieldset>

      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Starting…" : "Start run"}
        </Button>
        <Link href="/admin" className="text-sm text-slate-600 underline hover:text-slate-900">
          Cancel
        </Link>
      </div>
      {formError ? <ProblemPanel error={formError} /> : null}
    </form>
  );
}
