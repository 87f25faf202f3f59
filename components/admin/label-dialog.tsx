"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { TextArea, TextInput } from "@/components/ui/inputs";
import type { RunView } from "@/eval/api/schemas";
import { RunViewReader } from "./read-eval";
import { apiJson, errorBodyOf } from "./api";
import { ProblemPanel } from "./problem";
import { runQueryKey } from "./use-run";

export const NAME_MAX = 120;
export const NOTES_MAX = 4000;

/** PATCH /api/runs/{id} with a name and notes; "" clears one (the API stores null). */
export function labelRun(runId: string, body: { name: string | null; notes: string | null }): Promise<RunView> {
  return apiJson(`/api/runs/${encodeURIComponent(runId)}`, RunViewReader, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The form inside the dialog; mounted afresh each time the dialog opens, so it starts from the run's values. */
function LabelForm({ run, onDone }: { run: RunView; onDone: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState(run.name ?? "");
  const [notes, setNotes] = useState(run.notes ?? "");
  const save = useMutation({
    mutationFn: () => labelRun(run.id, { name: name.trim() || null, notes: notes.trim() || null }),
    onSuccess: (next) => {
      // The run page keeps the summary it has; the list is refetched with the new name.
      client.setQueryData<RunView>(runQueryKey(run.id), (prev) => (prev ? { ...prev, ...next } : next));
      void client.invalidateQueries({ queryKey: ["runs"] });
      onDone();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!save.isPending) save.mutate();
  }
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <Field
        id={`run-name-${run.id}`}
        label="Name"
        hint={`Shown in place of the run's id (${run.id}). Up to ${NAME_MAX} characters; empty removes it.`}
      >
        {(control) => (
          <TextInput
            {...control}
            type="text"
            value={name}
            maxLength={NAME_MAX}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. medgpt vs base, temperature 0"
            className="w-full"
          />
        )}
      </Field>
      <Field id={`run-notes-${run.id}`} label="Notes" hint="What this run is for, what to remember about it.">
        {(control) => (
          <TextArea
            {...control}
            value={notes}
            maxLength={NOTES_MAX}
            rows={5}
            onChange={(e) => setNotes(e.target.value)}
            className="w-full"
          />
        )}
      </Field>
      {save.error ? <ProblemPanel error={errorBodyOf(save.error)} /> : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onDone} disabled={save.isPending}>
          Discard changes
        </Button>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}

/** A button that opens a dialog to name the run and keep notes with it. */
export function EditLabelButton({
  run,
  size = "sm",
  label = "Edit name and notes",
  className,
}: {
  run: RunView;
  size?: "sm" | "xs";
  label?: string;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size={size}
        variant="ghost"
        onClick={() => setOpen(true)}
        aria-label={`${label} of ${run.name ?? run.id}`}
        aria-haspopup="dialog"
        className={className}
      >
        {label}
      </Button>
      <Dialog open={open} title="Name and notes" onClose={() => setOpen(false)} testId="label-dialog">
        {open ? <LabelForm run={run} onDone={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}
