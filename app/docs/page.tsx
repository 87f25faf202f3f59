import type { Metadata } from "next";
import { ERROR_TABLE } from "@/lib/errors";
import { openApiDocument } from "@/app/api/openapi.json/document";

export const metadata: Metadata = { title: "MedGPT API docs" };

const STREAM_EXAMPLE = `curl -N -X POST http://localhost:3000/api/ask \\
  -H 'content-type: application/json' \\
  -d '{"case":"A 14-year-old boy has polyuria, polydipsia and weight loss; glucose 412 mg/dL with ketonuria. What is the mechanism?",
       "options":{"A":"Insulin resistance","B":"Autoimmune beta-cell destruction","C":"Excess cortisol","D":"ADH deficiency"}}'

event: token
data: {"text":"<analysis>"}
...
event: answer
data: {"letter":"B","text":"Autoimmune beta-cell destruction","confidence":0.912,
       "probabilities":{"A":0.041,"B":0.912,"C":0.029,"D":0.018},"analysis":"...","formatOk":true}

event: done
data: {"model":"mrizwank97/medgpt","backend":"ollama","timings":{"firstTokenMs":180,"totalMs":5400,"evalCount":212,"tokensPerSecond":41.2}}`;

const JSON_EXAMPLE = `curl -X POST http://localhost:3000/api/ask \\
  -H 'content-type: application/json' \\
  -d '{"case":"...","options":{"A":"...","B":"...","C":"...","D":"..."},"stream":false,"seed":42,"temperature":0}'

{"answer":{"letter":"B","text":"...","confidence":0.87,"probabilities":{"A":0.06,"B":0.87,"C":0.05,"D":0.02},
  "analysis":"...","formatOk":true},"analysis":"...","raw":"<analysis>...</analysis>\\n<answer>\\nB: ...\\n</answer>",
 "formatOk":true,"model":"mrizwank97/medgpt","backend":"ollama","timings":{...}}`;

function Code({ children }: { children: string }) {
  return (
    // Focusable, so that keyboard users can scroll a long line sideways (axe: scrollable-region-focusable).
    <pre
      tabIndex={0}
      className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
    >
      {children}
    </pre>
  );
}

export default function DocsPage() {
  const doc = openApiDocument();
  return (
    <main className="mx-auto max-w-5xl space-y-8 px-4 py-6 text-sm">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">MedGPT API</h1>
        <p>{doc.info.description}</p>
        <p>
          Machine-readable:{" "}
          <a className="text-brand-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>{" "}
          (OpenAPI 3.1, generated from the same zod schemas the server validates with).
        </p>
      </header>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Endpoints</h2>
        {Object.entries(doc.paths).map(([path, methods]) =>
          Object.entries(methods).map(([method, op]) => (
            <article key={`${method} ${path}`} className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 className="font-mono font-semibold">
                <span className="mr-2 rounded bg-brand-50 px-1.5 py-0.5 text-brand-700">{method.toUpperCase()}</span>
                {path}
              </h3>
              <p className="mt-1">{op.summary}</p>
              <ul className="mt-2 space-y-0.5">
                {Object.entries(op.responses).map(([status, r]) => (
                  <li key={status}>
                    <span className="font-mono">{status}</span> — {(r as { description: string }).description}
                  </li>
                ))}
              </ul>
            </article>
          )),
        )}
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">POST /api/ask</h2>
        <p>
          Streaming (default): <code>text/event-stream</code> with <code>token</code> events, then one{" "}
          <code>answer</code>, then <code>done</code>. A failure after output began ends the stream with one{" "}
          <code>error</code> event. Closing the connection stops generation on the model server.
        </p>
        <Code>{STREAM_EXAMPLE}</Code>
        <p>
          With <code>&quot;stream&quot;: false</code> the answer comes as one JSON object:
        </p>
        <Code>{JSON_EXAMPLE}</Code>
        <p>
          The answer object is the same in both modes. <code>confidence</code> is the probability of the chosen letter
          and <code>probabilities</code> has one entry per offered letter, summing to 1. They are read from the model
          server&apos;s token log-probabilities at the step where the answer letter was written, renormalised over the
          offered letters; both are <code>null</code> when the server gives no log-probabilities (the answer is still
          served) or the reply names no option. Outputs are decision support for professionals, not a diagnosis.
        </p>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Errors</h2>
        <p>
          Every error is <code>{`{"error":{"code","message","fix","issues?"}}`}</code>; <code>issues</code> lists the
          field paths of a rejected body. Codes are stable.
        </p>
        <table className="w-full border-collapse text-left">
          <thead>
            <tr className="border-b border-slate-300">
              <th className="py-1 pr-3">code</th>
              <th className="py-1 pr-3">status</th>
              <th className="py-1">default fix</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(ERROR_TABLE).map(([code, { status, fix }]) => (
              <tr key={code} className="border-b border-slate-200 align-top">
                <td className="py-1 pr-3 font-mono">{code}</td>
                <td className="py-1 pr-3">{status || "— (set by the page itself)"}</td>
                <td className="py-1">{fix}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Schemas</h2>
        {Object.entries(doc.components.schemas).map(([id, schema]) => (
          <details key={id} className="rounded-lg border border-slate-200 bg-white p-3">
            <summary className="cursor-pointer font-mono font-semibold">{id}</summary>
            <Code>{JSON.stringify(schema, null, 2)}</Code>
          </details>
        ))}
      </section>
    </main>
  );
}
