/**
 * Time and peak memory of importing a 100 MB JSONL file and a 100 MB CSV file, read whole into memory and streamed.
 * Each import runs in a child process (see dataset-parse-child.ts) so that its peak memory is measured alone.
 */
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";

export type ParseRow = {
  file: string;
  mb: number;
  mode: "whole" | "stream";
  ms: number;
  maxRssMb: number;
  items: number;
};

const TARGET_BYTES = 100 * 1024 * 1024;
const FILLER = "The patient reports intermittent chest pain radiating to the left arm, worse on exertion. ";

async function writeFile(file: string, header: string | null, row: (i: number) => string) {
  const out = createWriteStream(file);
  let size = 0;
  if (header) {
    out.write(header);
    size += header.length;
  }
  for (let i = 0; size < TARGET_BYTES; i++) {
    const line = row(i);
    size += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export async function benchDatasetParse(): Promise<ParseRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-bench-parse-"));
  const jsonl = path.join(dir, "big.jsonl");
  const csv = path.join(dir, "big.csv");
  try {
    await writeFile(
      jsonl,
      null,
      (i) =>
        JSON.stringify({
          question: `Case ${i}: ${FILLER.repeat(1 + (i % 5))}Which is the most likely diagnosis?`,
          options: { A: "Stable angina", B: "Myocardial infarction", C: "Pericarditis", D: "Aortic dissection" },
          answer_idx: "ABCD"[i % 4],
        }) + "\n",
    );
    await writeFile(
      csv,
      "question,opa,opb,opc,opd,cop,explanation\n",
      (i) =>
        `"Case ${i}: ${FILLER.repeat(1 + (i % 5))}Which, if any, is ""typical""?",Stable angina,Myocardial infarction,Pericarditis,Aortic dissection,${1 + (i % 4)},"Because
it spans two lines"\n`,
    );
    const rows: ParseRow[] = [];
    for (const file of [jsonl, csv]) {
      for (const mode of ["whole", "stream"] as const) {
        const out = execFileSync(
          process.execPath,
          ["--import", "tsx", "--conditions=react-server", "bench/dataset-parse-child.ts", mode, file],
          { encoding: "utf8", maxBuffer: 1 << 20 },
        );
        const r = JSON.parse(out.trim().split("\n").at(-1)!) as { ms: number; maxRssMb: number; items: number };
        rows.push({ file: path.basename(file), mb: Math.round(statSync(file).size / 2 ** 20), mode, ...r });
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
