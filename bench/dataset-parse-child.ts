/**
 * One import of a dataset file in a process of its own, so its peak memory is its own: `whole` reads the file into
 * one string first (the CLI's path, and what every upload did before parsing moved to streams); `stream` feeds the
 * importer the file's chunks as they are read (an upload's path now). Prints {ms, maxRssMb, items, rejected}.
 */
import { createReadStream, readFileSync } from "node:fs";
import { DatasetImporter, importDataset } from "@/eval/datasets/import";

async function main() {
  const [mode, file] = process.argv.slice(2);
  if (!file || (mode !== "whole" && mode !== "stream")) throw new Error("usage: whole|stream FILE");
  const filename = file.split("/").at(-1);
  const t0 = performance.now();
  let result;
  if (mode === "whole") result = importDataset(readFileSync(file, "utf8"), { filename });
  else {
    const importer = new DatasetImporter({ filename });
    const decoder = new TextDecoder();
    for await (const chunk of createReadStream(file)) importer.push(decoder.decode(chunk as Buffer, { stream: true }));
    importer.push(decoder.decode());
    result = importer.end();
  }
  const ms = performance.now() - t0;
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({ ms: Math.round(ms), maxRssMb, items: result.items.length, rejected: result.rejected.length }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
