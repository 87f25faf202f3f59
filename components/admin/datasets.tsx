"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ProblemPanel } from "./problem";
import { Field } from "@/components/ui/field";
import { TextInput } from "@/components/ui/inputs";
import { apiJson, errorBodyOf } from "./api";
import { DatasetsListReader, ImportResponseReader, type ImportResponse } from "./read-eval";
import { dateTime } from "./format";

export const fetchDatasets = () => apiJson("/api/datasets", DatasetsListReader);

const SHOWN_REJECTED = 50;

/** Multipart upload of a dataset file; shows what was accepted and every rejected line with its reason. */
export function DatasetUpload() {
  const client = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const [missingFile, setMissingFile] = useState(false);
  const upload = useMutation({
    mutationFn: (form: FormData) => apiJson("/api/datasets", ImportResponseReader, { method: "POST", body: form }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["datasets"] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setMissingFile(true);
      return;
    }
    setMissingFile(false);
    const form = new FormData();
    form.append("file", file);
    if (name.trim()) form.append("name", name.trim());
    upload.mutate(form);
  }

  return (
    <div className="space-y-3">
      <form
        onSubmit={submit}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-label="Upload a dataset"
      >
        <Field
          id="dataset-file"
          label="Dataset file"
          error={missingFile ? "Choose a file to upload." : undefined}
          hint="medical-reasoning JSONL, MedQA JSONL or MCQ CSV"
        >
          {(control) => (
            <input
              {...control}
              ref={fileRef}
              type="file"
              accept=".jsonl,.ndjson,.json,.csv,text/csv,application/json"
              onChange={() => setMissingFile(false)}
              className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-100"
            />
          )}
        </Field>
        <Field
          id="dataset-name"
          label={
            <>
              Name <span className="font-normal text-slate-500">(optional)</span>
            </>
          }
        >
          {(control) => (
            <TextInput
              {...control}
              type="text"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
              placeholder="defaults to the file name"
            />
          )}
        </Field>
        <Button type="submit" variant="primary" disabled={upload.isPending}>
          {upload.isPending ? "Uploading…" : "Upload"}
        </Button>
      </form>
      {upload.error ? <ProblemPanel error={errorBodyOf(upload.error)} /> : null}
      {upload.data ? <ImportResult result={upload.data} /> : null}
    </div>
  );
}

function ImportResult({ result }: { result: ImportResponse }) {
  const { dataset, accepted, rejected, existing } = result;
  return (
    <div
      role="status"
      data-testid="import-result"
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
    >
      <p>
        <span className="font-semibold">
          {existing ? "Already imported" : "Imported"} “{dataset.name}”
        </span>{" "}
        ({dataset.format}): <span data-testid="import-accepted">{accepted} accepted</span>,{" "}
        <span data-testid="import-rejected-count">{rejected.length} rejected</span>.
        {existing ? " The same content was uploaded before; the stored dataset is reused." : null}{" "}
        <Link
          href={`/admin/runs/new?dataset=${encodeURIComponent(dataset.id)}`}
          className="font-medium text-brand-700 underline"
        >
          Start a run on it
        </Link>
      </p>
      {rejected.length > 0 ? (
        <div className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p className="font-medium">Rejected rows</p>
          <ul className="mt-1 max-h-64 list-disc space-y-0.5 overflow-y-auto pl-5" data-testid="import-rejected">
            {rejected.slice(0, SHOWN_REJECTED).map((r) => (
              <li key={`${r.line}:${r.reason}`}>
                <span className="font-mono">Line {r.line}</span>: {r.reason}
              </li>
            ))}
          </ul>
          {rejected.length > SHOWN_REJECTED ? (
            <p className="mt-1 text-xs">…and {rejected.length - SHOWN_REJECTED} more.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

const DATASET_COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Format" },
  { label: "Items", className: "text-right" },
  { label: "Rejected", className: "text-right" },
  { label: "Source" },
  { label: "Imported" },
  { label: <span className="sr-only">Actions</span> },
];

export function DatasetsList() {
  const { data, error, isPending } = useQuery({ queryKey: ["datasets"], queryFn: fetchDatasets });
  if (error) return <ProblemPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading datasets…</p>;
  if (data.datasets.length === 0) return <p className="text-sm text-slate-600">No datasets yet. Upload one above.</p>;
  return (
    <DataTable testId="datasets-table" caption="Imported datasets" columns={DATASET_COLUMNS} minWidth="min-w-[640px]">
      {data.datasets.map((d) => (
        <tr key={d.id}>
          <td className="px-3 py-2 font-medium">{d.name}</td>
          <td className="px-3 py-2 text-xs">{d.format}</td>
          <td className="px-3 py-2 text-right tabular-nums">{d.itemCount}</td>
          <td className="px-3 py-2 text-right tabular-nums">{d.rejectedCount}</td>
          <td className="px-3 py-2 text-xs text-slate-600">{d.source ?? "—"}</td>
          <td className="px-3 py-2 text-xs whitespace-nowrap">{dateTime(d.createdAt)}</td>
          <td className="px-3 py-2 text-right">
            <Link
              href={`/admin/runs/new?dataset=${encodeURIComponent(d.id)}`}
              className="text-xs font-medium text-brand-700 underline"
              aria-label={`New run on ${d.name}`}
            >
              New run
            </Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
