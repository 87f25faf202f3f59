import type { ChatMessage } from "./types";

/**
 * Chat prompts on the embedded engine are rendered with Gemma's turn template (the MedGPT fine-tune and its
 * base are Gemma 2), as Ollama's template for these models does:
 *
 *   <start_of_turn>user\n{content}<end_of_turn>\n<start_of_turn>model\n
 *
 * Gemma has no system role: system messages are joined and prepended to the first user turn. `assistant`
 * turns become `model` turns. The BOS token is not written here; the engine prepends it when tokenizing.
 * The text is tokenized with special tokens parsed, so `<start_of_turn>` becomes the control token.
 */
export const GEMMA_END_OF_TURN = "<end_of_turn>";

export function renderGemmaChat(messages: readonly ChatMessage[]): string {
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content.trim())
    .filter((s) => s !== "")
    .join("\n\n");
  let pendingSystem = system;
  let out = "";
  for (const m of messages) {
    if (m.role === "system") continue;
    let content = m.content.trim();
    if (m.role === "user" && pendingSystem) {
      content = `${pendingSystem}\n\n${content}`;
      pendingSystem = "";
    }
    out += `<start_of_turn>${m.role === "assistant" ? "model" : "user"}\n${content}${GEMMA_END_OF_TURN}\n`;
  }
  if (pendingSystem) out += `<start_of_turn>user\n${pendingSystem}${GEMMA_END_OF_TURN}\n`;
  return `${out}<start_of_turn>model\n`;
}
