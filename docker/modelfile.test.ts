import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildInferencePrompt,
  buildInput,
  buildTrainingPrompt,
  TRAINING_INSTRUCTION,
  TRAINING_PREFIX,
} from "@/lib/prompt";
import { readReasoningRows, readTrainingPrompts } from "@/test-support/shared-rows";
import { hasShared } from "@/test-support/shared-data";
import { parseModelfile, renderPrompt } from "./ollama-template";

const text = readFileSync(new URL("./Modelfile", import.meta.url), "utf8");
const modelfile = parseModelfile(text);
const template = modelfile.template ?? "";

/** What a user types to `ollama run medgpt`: the training prompt's user text. */
const userText = (input: string, instruction: string = TRAINING_INSTRUCTION) =>
  `${TRAINING_PREFIX} ${instruction} here are the inputs ${input}`;

describe("docker/Modelfile", () => {
  it("builds from the local GGUF, relative to the Modelfile", () => {
    expect(modelfile.from).toBe("./medgpt-q4_k_m.gguf");
  });

  it("has LF line endings only (a CR would become part of TEMPLATE)", () => {
    expect(text.includes("\r")).toBe(false);
  });

  it("stops at <end_of_turn> and sets sane generation parameters", () => {
    const params = new Map<string, string[]>();
    for (const [name, value] of modelfile.parameters) params.set(name, [...(params.get(name) ?? []), value]);
    expect(params.get("stop")).toContain("<end_of_turn>");
    expect(Number(params.get("num_ctx")?.[0])).toBeGreaterThanOrEqual(2048);
    expect(Number(params.get("num_predict")?.[0])).toBe(1024);
    const temperature = Number(params.get("temperature")?.[0]);
    expect(temperature).toBeGreaterThanOrEqual(0);
    expect(temperature).toBeLessThanOrEqual(1);
  });

  it("renders the inference prompt byte for byte for an inline case", () => {
    const input = buildInput("A 30-year-old woman has fatigue and a hemoglobin of 8 g/dL. Which test comes first?", {
      A: "Ferritin",
      B: "Bone marrow biopsy",
      C: "Hemoglobin electrophoresis",
      D: "Coombs' test",
    });
    expect(renderPrompt(template, [{ role: "user", content: userText(input) }])).toBe(buildInferencePrompt(input));
  });

  it("renders a completed turn as the training text, so a conversation's history matches training too", () => {
    const input = buildInput("Which?", { A: "x", B: "y" });
    const output = "<analysis>because</analysis>\n<answer>A: x</answer>";
    const rendered = renderPrompt(template, [
      { role: "user", content: userText(input) },
      { role: "assistant", content: output },
      { role: "user", content: userText(input) },
    ]);
    expect(rendered).toBe(`${buildTrainingPrompt(input, output)}\n${buildInferencePrompt(input)}`);
  });

  it("puts a system message at the start of the user turn, and renders nothing for it when absent", () => {
    const input = buildInput("Which?", { A: "x", B: "y" });
    const rendered = renderPrompt(template, [
      { role: "system", content: "Be brief." },
      { role: "user", content: userText(input) },
    ]);
    expect(rendered).toBe(
      buildInferencePrompt(input).replace("<start_of_turn>user ", "<start_of_turn>user Be brief.\n\n"),
    );
  });

  it.skipIf(!hasShared)(
    "renders case 0 of the 93-case test split exactly as buildInferencePrompt and the recorded prompt",
    () => {
      const row = readReasoningRows()[0]!;
      const recorded = readTrainingPrompts().find((p) => p.index === 0)!;
      const rendered = renderPrompt(template, [{ role: "user", content: userText(row.input, row.instruction) }]);
      expect(rendered).toBe(buildInferencePrompt(row.input, row.instruction));
      // The earlier version's prompt stopped before "model"; the training text continues with the reply.
      expect(rendered).toBe(`${recorded.prompt_test}model`);
      const completed = renderPrompt(template, [
        { role: "user", content: userText(row.input, row.instruction) },
        { role: "assistant", content: row.output },
      ]);
      expect(completed).toBe(`${recorded.prompt_test}model${row.output}`);
      expect(`${completed} <end_of_turn>`).toBe(recorded.prompt_train);
    },
  );
});

describe("ollama-template (the renderer the Modelfile test relies on)", () => {
  it("cuts the last turn after .Response, dropping later conditionals whole", () => {
    const t = "<u>{{ .Prompt }}</u><m>{{ .Response }}</m>{{ if .Prompt }}tail{{ end }}";
    expect(renderPrompt(t, [{ role: "user", content: "hi" }])).toBe("<u>hi</u><m>");
    expect(
      renderPrompt(t, [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
        { role: "user", content: "c" },
      ]),
    ).toBe("<u>a</u><m>b</m>tail<u>c</u><m>");
  });

  it("applies trim markers and else branches, and rejects what it does not implement", () => {
    expect(
      renderPrompt("{{ if .System }}S{{ else }}none{{ end }} \n {{- .Prompt -}} \n", [{ role: "user", content: "p" }]),
    ).toBe("nonep");
    expect(() => renderPrompt("{{ range .Messages }}{{ end }}", [])).toThrow(/not supported/);
  });

  it("parses Modelfile quoting like Ollama: verbatim between the quotes", () => {
    const parsed = parseModelfile(
      '# c\nFROM x.gguf\nTEMPLATE """a\n\n b """\nPARAMETER stop "<x>"\nPARAMETER temperature 0.1\n',
    );
    expect(parsed).toEqual({
      from: "x.gguf",
      template: "a\n\n b ",
      parameters: [
        ["stop", "<x>"],
        ["temperature", "0.1"],
      ],
    });
  });
});
