/**
 * The state of the process's model download, for /api/health and the UI. Module-level, kept on globalThis so
 * that Next dev reloads see the same download. One pull at a time is tracked (the latest one started).
 */

export type PullStatus = "idle" | "downloading" | "verifying" | "done" | "failed";

export type PullState = {
  /** e.g. "mrizwank97/medgpt:latest"; null before any pull. */
  model: string | null;
  receivedBytes: number;
  totalBytes: number | null;
  status: PullStatus;
  /** The message of the failure, when status is "failed". */
  error?: string;
  /** The verified file, when status is "done". */
  path?: string;
};

const IDLE: PullState = { model: null, receivedBytes: 0, totalBytes: null, status: "idle" };
const holder = globalThis as typeof globalThis & { __medgptPullState?: PullState };

export function getPullState(): PullState {
  return { ...(holder.__medgptPullState ?? IDLE) };
}

export function setPullState(next: PullState): void {
  holder.__medgptPullState = { ...next };
}

export function updatePullState(patch: Partial<PullState>): void {
  holder.__medgptPullState = { ...(holder.__medgptPullState ?? IDLE), ...patch };
}

/** Back to idle (tests). */
export function resetPullState(): void {
  holder.__medgptPullState = { ...IDLE };
}
