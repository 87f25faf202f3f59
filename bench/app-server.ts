/**
 * The production build (.next/standalone/server.js) started on 127.0.0.1 for the benches, in a process of its own,
 * as `npm start` runs it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

export const STANDALONE = ".next/standalone/server.js";
export const hasBuild = () => existsSync(STANDALONE);

export type AppServer = { url: string; child: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> };

export async function startAppServer(
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<AppServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, STANDALONE], {
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", MEDGPT_LOG_LEVEL: "warn", ...env },
    stdio: "ignore",
  });
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`${url}/api/openapi.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) {
      const stop = (signal: NodeJS.Signals = "SIGTERM") =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill(signal);
        });
      return { url, child, stop };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("the standalone server did not start");
}
