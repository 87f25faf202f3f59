"use client";

import type { HealthResponse } from "@/lib/schemas/service";
import { AdminDetails, DetailRow, WithCode } from "./admin-details";
import { backendStatusLabel } from "./backend-status-label";
import { availability, useHealth, type Availability } from "./use-health";

const MB = 1024 * 1024;

function HealthDetails({ health }: { health: HealthResponse | null }) {
  if (!health) {
    return (
      <AdminDetails testId="backend-admin-details">
        <DetailRow term="Problem">GET /api/health did not answer; the MedGPT server may be down.</DetailRow>
      </AdminDetails>
    );
  }
  const pull = health.pull;
  return (
    <AdminDetails testId="backend-admin-details">
      <DetailRow term="Status">{backendStatusLabel(health)}</DetailRow>
      {health.backend.detail ? (
        <DetailRow term="Detail">
          <WithCode text={health.backend.detail} />
        </DetailRow>
      ) : null}
      {pull && pull.status !== "done" ? (
        <DetailRow term="Model download">
          {pull.model ?? "model"}: {pull.status}, {Math.round(pull.receivedBytes / MB)} MB
          {pull.totalBytes ? ` of ${Math.round(pull.totalBytes / MB)} MB` : ""}
          {pull.error ? ` (${pull.error})` : ""}
        </DetailRow>
      ) : null}
      {health.fix ? (
        <DetailRow term="How to fix">
          <WithCode text={health.fix} />
        </DetailRow>
      ) : null}
    </AdminDetails>
  );
}

/** What the notice says, in the clinician's words; null: nothing to say. */
function notice(a: Availability): { tone: "block" | "warn"; title: string; body: string } | null {
  switch (a.kind) {
    case "checking":
    case "ready":
      return null;
    case "unavailable":
      return {
        tone: "block",
        title: "No model is available, so MedGPT cannot answer questions right now.",
        body: "Your administrator needs to start a model server. This page checks again every 15 seconds; you can write your question in the meantime.",
      };
    case "downloading":
      return {
        tone: "block",
        title: `MedGPT is downloading its model${a.percent !== null ? ` (${a.percent}% done)` : ""}.`,
        body: "You can ask questions when the download has finished; you can write your question in the meantime.",
      };
    case "default-missing":
      return {
        tone: "warn",
        title: "The standard model is not installed on this server.",
        body: "Choose another model in the form, or ask your administrator to install it.",
      };
    case "unchecked":
      return {
        tone: "warn",
        title: "MedGPT could not confirm that its model is ready.",
        body: "Asking may fail. If it does, tell your administrator.",
      };
    case "unreachable":
      return {
        tone: "warn",
        title: "The MedGPT server is not answering.",
        body: "Check your network connection. This page keeps trying.",
      };
  }
}

/**
 * A notice at the top of the page when no model can answer (or it is unclear whether one can), shown as soon as the
 * page loads, before anyone types a question.
 */
export function BackendBanner() {
  const query = useHealth();
  const a = availability(query.data, query.isError);
  const n = notice(a);
  return (
    // The live region is always there, so that a backend going down later is announced.
    <div role="status" data-testid="backend-banner-region">
      {n ? (
        <div
          data-testid="backend-banner"
          data-tone={n.tone}
          className={`rounded-lg border p-4 text-sm ${
            n.tone === "block" ? "border-red-300 bg-red-50 text-red-950" : "border-amber-300 bg-amber-50 text-amber-950"
          }`}
        >
          <p className="font-semibold">{n.title}</p>
          <p className="mt-1">{n.body}</p>
          {a.kind === "downloading" && a.percent !== null ? (
            <progress className="mt-2 h-2 w-full max-w-sm" max={100} value={a.percent} aria-label="Model download">
              {a.percent}%
            </progress>
          ) : null}
          {"health" in a ? <HealthDetails health={a.health} /> : null}
        </div>
      ) : null}
    </div>
  );
}

/** A one-line reminder beside Ask of whether the model is there (the banner at the top says more). */
export function BackendStatusLine() {
  const query = useHealth();
  const a = availability(query.data, query.isError);
  if (a.kind === "checking") return null;
  const ready = a.kind === "ready";
  return (
    <p data-testid="backend-status" className="flex items-center gap-1.5 text-xs text-slate-600">
      <span aria-hidden className={`inline-block size-2 rounded-full ${ready ? "bg-slate-500" : "bg-amber-600"}`} />
      {ready
        ? "Model server ready"
        : a.kind === "unavailable" || a.kind === "downloading"
          ? "No model available (see the notice at the top of the page)"
          : "Model status uncertain (see the notice at the top of the page)"}
    </p>
  );
}
