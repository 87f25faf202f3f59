/**
 * The fine-tune's turn format, byte for byte as in training. The odd spacing (a space after the
 * prefix's blank line, before each `<end_of_turn>`, none after `model`) is what the model learned;
 * "fixing" it shifts the tokens the model conditions on.
 */

export const TRAINING_PREFIX =
  "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

export const TRAINING_INSTRUCTION =
  "Please answer with one of the option in the bracket. Write reasoning in between <analysis></analysis>. Write answer in between <answer></answer>.";

function userTurn(input: string, instruction: string): string {
  return `<start_of_turn>user ${TRAINING_PREFIX} ${instruction} here are the inputs ${input} <end_of_turn>\n<start_of_turn>`;
}

export function buildTrainingPrompt(input: string, output: string, instruction: string = TRAINING_INSTRUCTION): string {
  return `${userTurn(input, instruction)}model${output} <end_of_turn>`;
}

/** The prompt to send untemplated (raw): it opens the model turn, so the reply is the answer alone. */
export function buildInferencePrompt(input: string, instruction: string = TRAINING_INSTRUCTION): string {
  return `${userTurn(input, instruction)}model`;
}

/**
 * The earlier version's prompt. It stops before `model`, so the model writes that word itself and
 * recorded replies start with it; kept to reproduce those recordings.
 */
export function buildLegacyTestPrompt(input: string, instruction: string = TRAINING_INSTRUCTION): string {
  return userTurn(input, instruction);
}

export type UserMessage = { role: "user"; content: string };

/** For instruction-tuned chat models: the server applies the model's own template around this. */
export function buildChatMessages(input: string, instruction: string = TRAINING_INSTRUCTION): UserMessage[] {
  return [{ role: "user", content: `${instruction}\n\n${input}` }];
}
