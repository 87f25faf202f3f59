"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, isAbortLike } from "@/lib/api-error";
import { streamAsk } from "@/lib/ask/client";
import type { Answer, AskEvent, AskRequestInput, ErrorBody } from "@/lib/schemas/ask";

export type DoneData = Extract<AskEvent, { event: "done" }>["data"];

export type AskPhase = "idle" | "waiting" | "streaming" | "done" | "stopped" | "error";

/** One ask as the page shows it: the reply as it streamed (`raw`), then the parsed answer and the timings. */
export type AskState = {
  phase: AskPhase;
  raw: string;
  answer: Answer | null;
  done: DoneData | null;
  error: ErrorBody | null;
};

const IDLE: AskState = { phase: "idle", raw: "", answer: null, done: null, error: null };

export const isBusy = (phase: AskPhase) => phase === "waiting" || phase === "streaming";

/**
 * Runs one streaming ask at a time. `ask` resolves with the final state (done, stopped or error) so the caller can
 * keep it (the history does); events of an ask that was stopped or replaced never reach the state. `fetchImpl`
 * replaces fetch for the ask (the page passes one that adds the saved API key).
 */
export function useAskStream(fetchImpl?: typeof fetch) {
  const [state, setState] = useState<AskState>(IDLE);
  const controller = useRef<AbortController | null>(null);
  const stoppedByUser = useRef(false);
  const queryClient = useQueryClient();

  // Leaving the page stops the generation on the server too.
  useEffect(() => () => controller.current?.abort(), []);

  const ask = useCallback(
    async (body: AskRequestInput): Promise<AskState> => {
      controller.current?.abort();
      const ac = new AbortController();
      controller.current = ac;
      stoppedByUser.current = false;
      let current: AskState = { ...IDLE, phase: "waiting" };
      const update = (next: AskState) => {
        current = next;
        if (controller.current === ac) setState(next);
      };
      update(current);
      try {
        await streamAsk(body, {
          signal: ac.signal,
          ...(fetchImpl ? { fetchImpl } : {}),
          onEvent: (ev) => {
            if (ev.event === "token") update({ ...current, phase: "streaming", raw: current.raw + ev.data.text });
            else if (ev.event === "answer") update({ ...current, answer: ev.data });
            else if (ev.event === "done") update({ ...current, done: ev.data });
          },
        });
        update({ ...current, phase: "done" });
      } catch (err) {
        if (ac.signal.aborted || isAbortLike(err)) {
          if (stoppedByUser.current) update({ ...current, phase: "stopped" });
          return current;
        }
        const error =
          err instanceof ApiError
            ? err.body
            : ApiError.client("client_error", err instanceof Error ? err.message : String(err)).body;
        update({ ...current, phase: "error", error });
        // A failed ask often means the backend changed state: refresh the status now, not at the next poll.
        void queryClient.invalidateQueries({ queryKey: ["health"] });
      }
      return current;
    },
    [queryClient, fetchImpl],
  );

  /** Stop pressed: the generation ends on the server too, and what streamed so far stays on screen. */
  const stop = useCallback(() => {
    const ac = controller.current;
    if (!ac || ac.signal.aborted) return;
    stoppedByUser.current = true;
    ac.abort();
  }, []);

  /** Back to nothing asked (a new question, or editing the last one); stops a running ask silently. */
  const reset = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState(IDLE);
  }, []);

  /** Shows an earlier answer again (from the history). */
  const restore = useCallback((saved: { raw: string; answer: Answer; done: DoneData | null }) => {
    controller.current?.abort();
    controller.current = null;
    setState({ phase: "done", raw: saved.raw, answer: saved.answer, done: saved.done, error: null });
  }, []);

  return { state, ask, stop, reset, restore };
}
