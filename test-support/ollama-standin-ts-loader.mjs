// Minimal Node module hooks (node >= 20.6) that let plain `node` run the stand-in's TypeScript sources:
// type-strips project .ts files with the project's own `typescript` devDependency (transpileModule, no type check)
// and resolves the extensionless relative imports and "@/..." paths that tsconfig's bundler resolution allows.
// Registered by test-support/ollama-standin-launch.mjs; not meant as a general-purpose TS loader.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT_URL = new URL("../", import.meta.url);
const isProjectTs = (url) => url.startsWith("file:") && /\.(c|m)?tsx?$/.test(new URL(url).pathname) && !url.includes("/node_modules/");

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith("@/")) specifier = new URL(specifier.slice(2), ROOT_URL).href;
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const fromTs = context.parentURL !== undefined && isProjectTs(context.parentURL);
    const relative = specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:");
    if (!fromTs || !relative || err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
    for (const suffix of [".ts", ".tsx", "/index.ts"]) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next candidate
      }
    }
    throw err;
  }
}

export async function load(url, context, nextLoad) {
  if (!isProjectTs(url)) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      isolatedModules: true,
      inlineSourceMap: true,
      inlineSources: true,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
