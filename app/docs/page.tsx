import type { Metadata } from "next";
import { headers } from "next/headers";
import { Fragment, type ReactNode } from "react";
import { ApiReference } from "@/components/docs/api-reference";
import { CopyButton } from "@/components/docs/copy-button";
import { requestOrigin } from "@/components/docs/request-origin";
import { ERROR_TABLE } from "@/lib/errors";

export const metadata: Metadata = { title: "MedGPT API docs" };

const CASE_BODY = `{"case":"A 14-year-old boy has polyuria, polydipsia and weight loss; glucose 412 mg/dL with ketonuria. What is the mechanism?",
       "options":{"A":"Insulin resistance","B":"Autoimmune beta-cell destruction","C":"Excess cortisol","D":"ADH deficiency"}`;

const streamCommand = (origin: string) => `curl -N -X POST ${origin}/api/ask \\
  -H 'content-type: application/json' \\
  -d '${CASE_BODY}}'`;

const jsonCommand = (origin: string) => `curl -X POST ${origin}/api/ask \\
  -H 'content-type: application/json' \\
  -d '${CASE_BODY},
       "stream":false,"seed":42,"temperature":0}'`;

const STREAM_REPLY = `event: token
data: {"text":"<analysis>"}
...
event: answer
data: {"letter":"B","text":"Autoimmune beta-cell destruction","confidence":0.912,
       "probabilities":{"A":0.041,"B":0.912,"C":0.029,"D":0.018},"analysis":"...","formatOk":true}

event: done
data: {"model":"mrizwank97/medgpt","backend":"ollama","timings":{"firstTokenMs":180,"totalMs":5400,"evalCount":212,"tokensPerSecond":41.2}}`;

const JSON_REPLY = `{"answer":{"letter":"B","text":"Autoimmune beta-cell destruction","confidence":0.87,
  "probabilities":{"A":0.06,"B":0.87,"C":0.05,"D":0.02},"analysis":"...","formatOk":true},
 "analysis":"...","raw":"<analysis>...</analysis>\\n<answer>\\nB: ...\\n</answer>","formatOk":true,
 "model":"mrizwank97/medgpt","backend":"ollama","timings":{...}}`;

/** The codes an HTTP client can receive; the browser-only ones (status 0) are the app's own pages' business. */
const SERVER_ERRORS = Object.entries(ERROR_TABLE).filter(([, { status }]) => status > 0);

const SECTIONS = [
  { id: "modes", title: "Streaming or one JSON answer" },
  { id: "answer", title: "The answer" },
  { id: "errors", title: "Errors" },
  { id: "reference", title: "Reference and test requests" },
] as const;

/** A code such as `upstream_unavailable`, which a narrow screen may wrap after an underscore but nowhere else. */
function breakable(code: string): ReactNode {
  return code.split("_").map((part, i) => (
    <Fragment key={i}>
      {i > 0 && (
        <>
          _<wbr />
        </>
      )}
      {part}
    </Fragment>
  ));
}

function Code({ children, label }: { children: string; label: string }) {
  return (
    // Focusable, so that keyboard users can scroll a long line sideways (axe: scrollable-region-focusable).
    <pre
      tabIndex={0}
      aria-label={label}
      className="overflow-x-auto rounded-b-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
    >
      {children}
    </pre>
  );
}

function Example({ title, command, reply }: { title: string; command: string; reply: string }) {
  return (
    <figure className="min-w-0 space-y-2">
      <figcaption className="font-semibold">{title}</figcaption>
      <div>
        <div className="flex items-center justify-between gap-2 rounded-t-md bg-slate-800 px-3 py-1.5 text-xs text-slate-300">
          <span>Request</span>
          <CopyButton text={command} what={`the ${title} request`} />
        </div>
        <Code label={`${title}: request`}>{command}</Code>
      </div>
      <div>
        <div className="rounded-t-md bg-slate-800 px-3 py-1.5 text-xs text-slate-300">What comes back</div>
        <Code label={`${title}: reply`}>{reply}</Code>
      </div>
    </figure>
  );
}

function Section({ id, children }: { id: (typeof SECTIONS)[number]["id"]; children: ReactNode }) {
  const title = SECTIONS.find((s) => s.id === id)!.title;
  return (
    <section aria-labelledby={`${id}-title`} className="scroll-mt-4 space-y-3">
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * /docs: a short guide for integrators (what MedGPT is for, the two response modes, the answer, the errors, one
 * curl example of each mode aimed at the address this page was reached by), then the interactive reference of
 * /api/openapi.json, rendered in the browser by Scalar, bundled with the app (components/docs).
 */
export default async function DocsPage() {
  const origin = requestOrigin(await headers());
  return (
    // No <main> here: Scalar's reference brings its own <main> and sidebar landmark, which must not sit inside
    // another main. The guide is a labelled region of its own, beside them.
    <div className="text-sm">
      <section aria-labelledby="docs-title" className="mx-auto max-w-5xl space-y-8 px-4 py-6">
        <header className="space-y-3">
          <h1 id="docs-title" className="text-2xl font-semibold">
            MedGPT API
          </h1>
          <p>
            MedGPT answers USMLE-style multiple-choice clinical questions: send a case and its options (A–D, E optional)
            to <code>POST /api/ask</code> and get the model&apos;s reasoning, the option it chose and how confident it
            was.
          </p>
          <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="disclaimer">
            <strong>Decision support for healthcare professionals.</strong> The answer can be wrong; it is not a
            diagnosis or treatment advice, and a clinician decides.
          </p>
          <p>
            The OpenAPI 3.1 document, generated from the schemas the server validates with:{" "}
            <a className="text-brand-700 underline" href="/api/openapi.json">
              /api/openapi.json
            </a>
            .
          </p>
          <nav aria-label="On this page" className="rounded-md border border-slate-200 bg-white p-3">
            <p className="font-semibold">On this page</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {SECTIONS.map((s) => (
                <li key={s.id}>
                  <a className="text-brand-700 underline" href={`#${s.id}-title`}>
                    {s.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>

        <Section id="modes">
          <p>
            By default the answer streams as server-sent events (<code>text/event-stream</code>): many{" "}
            <code>token</code> events with the reasoning as it is written, then one <code>answer</code>, then{" "}
            <code>done</code> with the model and timings. A failure after output began ends the stream with one{" "}
            <code>error</code> event. Closing the connection stops generation on the model server. With{" "}
            <code>&quot;stream&quot;: false</code> the whole answer comes as one JSON object instead.
          </p>
          <div className="grid gap-6 lg:grid-cols-2">
            <Example title="Streaming (default)" command={streamCommand(origin)} reply={STREAM_REPLY} />
            <Example title="One JSON answer" command={jsonCommand(origin)} reply={JSON_REPLY} />
          </div>
        </Section>

        <Section id="answer">
          <p>The answer object is the same in both modes:</p>
          <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
            <dt className="font-mono">letter, text</dt>
            <dd>the chosen option, or null when the reply names none of the offered letters;</dd>
            <dt className="font-mono">confidence</dt>
            <dd>
              the probability of the chosen letter, read from the model server&apos;s token log-probabilities where the
              letter was written and renormalised over the offered letters;
            </dd>
            <dt className="font-mono">probabilities</dt>
            <dd>one entry per offered letter, summing to 1;</dd>
            <dt className="font-mono">analysis</dt>
            <dd>the model&apos;s reasoning;</dd>
            <dt className="font-mono">formatOk</dt>
            <dd>whether the reply kept the expected reasoning-then-answer format.</dd>
          </dl>
          <p>
            <code>confidence</code> and <code>probabilities</code> are null when the model server gives no
            log-probabilities (the answer is still served) or the reply names no option. A high confidence is the
            model&apos;s own certainty, not a measure of being right.
          </p>
        </Section>

        <Section id="errors">
          <p>
            Every error is <code>{`{"error":{"code","message","fix","issues?"}}`}</code>; <code>issues</code> lists the
            field paths of a rejected body. Codes are stable; <code>429</code> and <code>503 busy</code> carry a{" "}
            <code>Retry-After</code> header. When the server requires API keys, send{" "}
            <code>Authorization: Bearer &lt;key&gt;</code>.
          </p>
          <table className="w-full border-collapse text-left">
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="py-1 pr-3">
                  code
                </th>
                <th scope="col" className="py-1 pr-3">
                  status
                </th>
                <th scope="col" className="py-1">
                  how to fix it
                </th>
              </tr>
            </thead>
            <tbody>
              {SERVER_ERRORS.map(([code, { status, fix }]) => (
                <tr key={code} className="border-b border-slate-200 align-top">
                  <td className="py-1 pr-3 font-mono text-xs">{breakable(code)}</td>
                  <td className="py-1 pr-3">{status}</td>
                  <td className="py-1 [overflow-wrap:anywhere]">{fix}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section id="reference">
          <p>
            Every endpoint with its body, answers and schemas. <strong>Test Request</strong> opens a client that sends
            the request to this server ({origin}); POST /api/ask comes with example cases to start from.
          </p>
        </Section>
      </section>
      <div className="border-t border-slate-200 bg-white" data-testid="api-reference">
        <ApiReference />
      </div>
    </div>
  );
}
