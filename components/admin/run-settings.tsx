"use client";

import type { ReactNode } from "react";
import type { RunView } from "@/eval/api/schemas";
import { dateTime } from "./format";
import { useRun } from "./use-run";

const BACKENDS: Record<string, string> = {
  ollama: "Ollama",
  embedded: "embedded llama.cpp engine",
  openai: "OpenAI-compatible server",
};

const FORMATS: Record<string, string> = {
  "medgpt-raw": "the fine-tune's training prompt",
  chat: "the model's own chat template",
};

function Row({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-0.5 sm:grid-cols-[11rem_1fr] sm:gap-3">
      <dt className="text-slate-500">{term}</dt>
      <dd className="min-w-0 break-words" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** What the run was asked to do, as stored with it: enough to repeat it or to tell two runs apart. */
export function RunSettings({ settings }: { settings: RunView["settings"] }) {
  const s = settings;
  return (
    <dl className="space-y-1.5 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="run-settings">
      <Row term="Models" testId="setting-models">
        <ul>
          {s.models.map((m) => (
            <li key={m}>
              <span className="font-mono break-all">{m}</span>
              {s.promptFormats?.[m] ? (
                <span className="text-slate-600">
                  {" "}
                  — prompt format {s.promptFormats[m]}
                  {FORMATS[s.promptFormats[m]] ? ` (${FORMATS[s.promptFormats[m]]})` : ""}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </Row>
      <Row term="Model server" testId="setting-backend">
        {s.backend ? (BACKENDS[s.backend] ?? s.backend) : "not recorded"}
      </Row>
      <Row term="Temperature" testId="setting-temperature">
        {s.temperature}
        {s.temperature === 0 ? <span className="text-slate-600"> (always the most likely token)</span> : null}
      </Row>
      <Row term="Max tokens per answer" testId="setting-max-tokens">
        {s.maxTokens}
      </Row>
      <Row term="Seed" testId="setting-seed">
        {s.seed}
      </Row>
      <Row term="Samples per question" testId="setting-samples">
        {s.samples}
        {s.samples > 1 ? <span className="text-slate-600"> (majority vote, self-consistency)</span> : null}
      </Row>
      <Row term="Judge" testId="setting-judge">
        {s.judge ? <span className="font-mono break-all">{s.judge}</span> : "none (exact match only)"}
        {s.judgePromptVersion ? (
          <span className="block text-slate-600">
            judge prompt version <span className="font-mono">{s.judgePromptVersion}</span>
          </span>
        ) : null}
      </Row>
      <Row term="Created" testId="setting-created">
        {dateTime(s.createdAt)}
        {s.createdBy ? ` from the ${s.createdBy}` : " (creator not recorded)"}
      </Row>
    </dl>
  );
}

/** The run page's settings block, from the run it already polls. */
export function RunSettingsOf({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  return run ? <RunSettings settings={run.settings} /> : null;
}
