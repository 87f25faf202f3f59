import { STANDIN_PORT } from "../playwright.config";

const CONTROL = `http://127.0.0.1:${STANDIN_PORT}/__control`;

/** Switches the Ollama stand-in's behaviour from the test process (faults are injected there, never mocked). */
export async function controlStandin(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(CONTROL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`stand-in control failed: ${res.status} ${await res.text()}`);
}

export async function standinStats(): Promise<{ aborted: number; completed: number; active: number }> {
  const res = await fetch(`${CONTROL}/stats`);
  return (await res.json()) as { aborted: number; completed: number; active: number };
}

export async function resetStandin(): Promise<void> {
  await waitForStandinUp();
  // Back to the state the webServer started with, so each test starts from the same stand-in.
  await controlStandin({
    reset: true,
    fault: { kind: "none" },
    tokenDelayMs: 15,
    models: ["mrizwank97/medgpt:latest", "gemma2:2b"],
  });
}

/** After a `goDownForMs` fault the stand-in refuses connections for a while; wait until it is back. */
export async function waitForStandinUp(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${STANDIN_PORT}/api/version`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the Ollama stand-in did not come back up");
}
