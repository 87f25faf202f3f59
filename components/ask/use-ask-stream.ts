"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { ApiError } from "@/lib/api-error";
import { streamAsk } from "@/lib/ask/client";
import type { AskEvent, AskRequestInput, ErrorBody } from "@/lib/schemas/ask";

type AnswerData = Extract<AskEvent, { event: "answer" }>["data"];
type DoneData = Extract<AskEvent, { event: "done" }>["data"];

export type AskPhase = "idle" | "waiting" | "streaming" | "done" | "stopped" | "error";

/** Runs one streaming ask under a React Query mutation and exposes what the page renders. */
export function useAskStream() {
  const [reasoning, setReasoning] = useState("");
  const [answer, setAnswer] = useState<AnswerData | null>(null);
  const [done, setDone] = useState<DoneData | null>(null);
  const [stopped, setStopped] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const queryClient = useQueryClient();

  const mutation = useMutation<void, ApiError, AskRequestInput>({
    mutationFn: async (body) => {
      controller.current?.abort();
      const ac = new AbortController();
      controller.current = ac;
      setReasoning("");
      setAnswer(null);
      setDone(null);
      setStopped(false);
      try {
        await streamAsk(body, {
          signal: ac.signal,
          onEvent: (ev) => {
            if (ev.event === "token") setReasoning((prev) => prev + ev.data.text);
            else if (ev.event === "answer") setAnswer(ev.data);
            else if (ev.event === "done") setDone(ev.data);
          },
        });
      } catch (err) {
        if (ac.signal.aborted) return; // Stop is not an error
        if (err instanceof ApiError) throw err;
        throw ApiError.client("client_error", (err as Error).message ?? "Unexpected error", null, "Retry.");
      }
    },
    // A failed ask often means the backend changed state: refresh the status line now, not at the next poll.
    onError: () => void queryClient.invalidateQueries({ queryKey: ["health"] }),
  });

  const stop = useCallback(() => {
    if (!controller.current || controller.current.signal.aborted) return;
    controller.current.abort();
    setStopped(true);
  }, []);

  const error: ErrorBody | null = mutation.error?.body ?? null;
  const phase: AskPhase = mutation.isPending
    ? reasoning
      ? "streaming"
      : "waiting"
    : error
      ? "error"
      : stopped
        ? "stopped"
        : done
          ? "done"
          : "idle";

  return { ask: mutation.mutate, stop, phase, reasoning, answer, done, error };
}
