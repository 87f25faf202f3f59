/** Shared setup of the POST /api/ask route tests. */
import { Writable } from "node:stream";
import { setLogSink } from "@/lib/observability/log";
import { stubModelServer } from "./api";
import { startOllamaStandin, type OllamaStandin } from "./ollama-standin";

export const ASK_URL = "http://localhost/api/ask";

/** A question the route accepts; the stand-in's made-up reply to it names B (Sarcoidosis). */
export const CASE = "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which is most likely?";
export const OPTIONS = { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" };

/**
 * The Ollama stand-in as the route's model server. The route logs a line per ask, silenced here (a test that reads
 * the lines captures them afterwards: test-support/log-capture.ts); config and backend are read once per module
 * context, so this must run before the first request.
 */
export async function startAskStandin(): Promise<OllamaStandin> {
  const standin = await startOllamaStandin();
  stubModelServer(standin.url);
  setLogSink(new Writable({ write: (_chunk, _encoding, done) => done() }));
  return standin;
}
