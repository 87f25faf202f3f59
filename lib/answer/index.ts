export { parseAnswer, type ParsedAnswer } from "./parse";
