export { pyRepr } from "./pyrepr";
export { formatOptionsLiteral, parseOptionsLiteral, OptionsLiteralError } from "./options-literal";
export { buildInput, parseInput } from "./input";
export {
  TRAINING_PREFIX,
  TRAINING_INSTRUCTION,
  buildTrainingPrompt,
  buildInferencePrompt,
  buildLegacyTestPrompt,
  buildChatMessages,
  type UserMessage,
} from "./templates";
export {
  type PromptFormat,
  PROMPT_FORMATS,
  defaultPromptFormat,
  resolvePromptFormat,
  parsePromptFormatOverrides,
} from "./format";
export { buildPrompt, type BuiltPrompt } from "./build";
