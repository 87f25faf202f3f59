/** Generation requests for the inference backends' tests, as the ask service would build them. */
import type { GenerateEvent, GenerateRequest, InferenceBackend } from "@/lib/inference/types";

/** A row's input, as the prompt builder embeds it. */
export const PROMPT_TEXT =
  "Q:A 30-year-old woman has a dry cough. Which is most likely?? \n{'A': 'Asthma', 'B': 'Sarcoidosis'},";
/** The fine-tune's training-format prompt around PROMPT_TEXT. */
export const RAW_PROMPT = `<start_of_turn>user ${PROMPT_TEXT} <end_of_turn>\n<start_of_turn>model`;
export const MESSAGES = [{ role: "user" as const, content: PROMPT_TEXT }];

type Options = Partial<GenerateRequest["options"]>;

/** RAW_PROMPT, untemplated, with the service's default token budget unless `options` says otherwise. */
export const raw = (options: Options = {}, model = "mrizwank97/medgpt"): GenerateRequest => ({
  model,
  prompt: { kind: "raw", text: RAW_PROMPT },
  options: { maxTokens: 1024, ...options },
});

/** MESSAGES as a chat, for a base model, with the service's default token budget unless `options` says otherwise. */
export const chat = (options: Options = {}, model = "google/gemma-2-2b-it"): GenerateRequest => ({
  model,
  prompt: { kind: "chat", messages: MESSAGES },
  options: { maxTokens: 1024, ...options },
});

/** Every event of one generation that nothing aborts. */
export async function generateAll(
  backend: Pick<InferenceBackend, "generate">,
  request: GenerateRequest,
): Promise<GenerateEvent[]> {
  const out: GenerateEvent[] = [];
  for await (const ev of backend.generate(request, new AbortController().signal)) out.push(ev);
  return out;
}
