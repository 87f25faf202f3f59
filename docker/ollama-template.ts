/**
 * Test support for docker/Modelfile: its parser and the slice of Ollama's prompt templating that the MedGPT
 * template uses, following Ollama's parser/parser.go and template/template.go.
 *
 * Go template subset: text, `{{ .Field }}`, `{{ if .Field }}…{{ else }}…{{ end }}`, and the `{{-` / `-}}` trim
 * markers. Anything else throws, so a template edit that needs more of Go's language fails loudly here.
 */

export type Modelfile = { from: string; template?: string; system?: string; parameters: [string, string][] };

/** Ollama's value quoting: `"""…"""` (may span lines) or `"…"`, taken verbatim between the quotes. */
function unquote(raw: string): string {
  const s = raw.trim();
  if (s.startsWith('"""')) {
    if (s.length < 6 || !s.endsWith('"""')) throw new Error(`unterminated """ value: ${s.slice(0, 40)}`);
    return s.slice(3, -3);
  }
  if (s.startsWith('"')) {
    if (s.length < 2 || !s.endsWith('"')) throw new Error(`unterminated " value: ${s}`);
    return s.slice(1, -1);
  }
  return s;
}

/** Parses the commands of a Modelfile (FROM, TEMPLATE, SYSTEM, PARAMETER; `#` comment lines). */
export function parseModelfile(text: string): Modelfile {
  const result: Partial<Modelfile> & { parameters: [string, string][] } = { parameters: [] };
  // A command, its arguments, and a value that is either """…""" (across lines), "…", or the rest of the line.
  const command = /^[ \t]*([A-Za-z]+)[ \t]+(?:([A-Za-z0-9_]+)[ \t]+)?("""[\s\S]*?"""|"[^"\n]*"|[^\n]*)[ \t]*(?:\n|$)/;
  let rest = text;
  while (rest.length > 0) {
    const blank = /^[ \t]*(?:#[^\n]*)?(?:\n|$)/.exec(rest);
    if (blank && blank[0].length > 0) {
      rest = rest.slice(blank[0].length);
      continue;
    }
    const m = command.exec(rest);
    if (!m) throw new Error(`cannot parse Modelfile at: ${rest.slice(0, 60)}`);
    const name = m[1]!.toUpperCase();
    if (name === "PARAMETER") {
      if (!m[2]) throw new Error(`PARAMETER without a name: ${m[0]}`);
      result.parameters.push([m[2], unquote(m[3]!)]);
    } else {
      const value = unquote(`${m[2] ? `${m[2]} ` : ""}${m[3]!}`);
      if (name === "FROM") result.from = value;
      else if (name === "TEMPLATE") result.template = value;
      else if (name === "SYSTEM") result.system = value;
      else throw new Error(`command not handled by this parser: ${name}`);
    }
    rest = rest.slice(m[0].length);
  }
  if (result.from === undefined) throw new Error("no FROM line");
  return result as Modelfile;
}

type Node =
  | { kind: "text"; text: string }
  | { kind: "field"; name: string }
  | { kind: "if"; name: string; then: Node[]; else: Node[] };

type Values = Record<string, string>;

function parseTemplate(template: string): Node[] {
  // Split into text and actions, applying trim markers as Go does (`{{- ` trims whitespace before, ` -}}` after).
  const parts: ({ kind: "text"; text: string } | { kind: "action"; body: string })[] = [];
  const action = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = action.exec(template); m !== null; m = action.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (m[1]) text = text.replace(/\s+$/, "");
    if (text) parts.push({ kind: "text", text });
    parts.push({ kind: "action", body: m[2]! });
    trimNext = Boolean(m[3]);
    last = action.lastIndex;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, "");
  if (tail) parts.push({ kind: "text", text: tail });

  let i = 0;
  const parseList = (closers: string[]): { nodes: Node[]; closer: string | null } => {
    const nodes: Node[] = [];
    while (i < parts.length) {
      const part = parts[i++]!;
      if (part.kind === "text") {
        nodes.push(part);
        continue;
      }
      const body = part.body;
      if (closers.includes(body)) return { nodes, closer: body };
      const field = /^\.([A-Za-z]+)$/.exec(body);
      const cond = /^if \.([A-Za-z]+)$/.exec(body);
      if (field) {
        nodes.push({ kind: "field", name: field[1]! });
      } else if (cond) {
        const then = parseList(["else", "end"]);
        const otherwise = then.closer === "else" ? parseList(["end"]) : { nodes: [], closer: "end" };
        if (otherwise.closer !== "end") throw new Error(`{{ if .${cond[1]} }} has no {{ end }}`);
        nodes.push({ kind: "if", name: cond[1]!, then: then.nodes, else: otherwise.nodes });
      } else {
        throw new Error(`template action not supported by this renderer: {{ ${body} }}`);
      }
    }
    if (closers.length > 0) throw new Error(`missing {{ ${closers.join(" / ")} }}`);
    return { nodes, closer: null };
  };
  return parseList([]).nodes;
}

/**
 * Ollama's deleteNode for the turn being generated: keep everything up to and including the first `.Response`
 * field and drop every node after it (an `if` after it goes whole), so the prompt ends where the reply begins.
 */
function cutAfterResponse(nodes: Node[]): Node[] {
  let cut = false;
  const walk = (list: Node[]): Node[] => {
    const kept: Node[] = [];
    for (const node of list) {
      if (cut) continue;
      if (node.kind === "field" && node.name === "Response") {
        cut = true;
        kept.push(node);
      } else if (node.kind === "if") {
        kept.push({ ...node, then: walk(node.then), else: walk(node.else) });
      } else {
        kept.push(node);
      }
    }
    return kept;
  };
  return walk(nodes);
}

function execute(nodes: Node[], values: Values): string {
  let out = "";
  for (const node of nodes) {
    if (node.kind === "text") out += node.text;
    else if (node.kind === "field") out += values[node.name] ?? "";
    else out += execute(values[node.name] ? node.then : node.else, values);
  }
  return out;
}

export type Message = { role: "system" | "user" | "assistant"; content: string };

/**
 * What Ollama sends the model for these messages with a legacy template (one using .Prompt/.Response, not
 * .Messages): completed turns rendered whole, the last one cut after .Response. Messages of the same role in a
 * row are joined with a blank line, as Ollama's collate does.
 */
export function renderPrompt(template: string, messages: Message[]): string {
  const nodes = parseTemplate(template);
  const collated: Message[] = [];
  for (const m of messages) {
    const prev = collated.at(-1);
    if (prev && prev.role === m.role) prev.content += `\n\n${m.content}`;
    else collated.push({ ...m });
  }
  let out = "";
  let system = "";
  let prompt = "";
  let response = "";
  const flush = () => {
    out += execute(nodes, { System: system, Prompt: prompt, Response: response });
    system = prompt = response = "";
  };
  for (const m of collated) {
    if (m.role === "system") {
      if (prompt || response) flush();
      system = m.content;
    } else if (m.role === "user") {
      if (response) flush();
      prompt = m.content;
    } else {
      response = m.content;
    }
  }
  return out + execute(cutAfterResponse(nodes), { System: system, Prompt: prompt, Response: response });
}
