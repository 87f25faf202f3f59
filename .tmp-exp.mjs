import { getLlama, LlamaCompletion } from "node-llama-cpp";
const llama = await getLlama({ gpu: false, build: "never" });
const model = await llama.loadModel({ modelPath: "/work/shared/models/llama-2-tiny-random.gguf" });
const ctx = await model.createContext({ contextSize: 2048, sequences: 1 });
const c = new LlamaCompletion({ contextSequence: ctx.getSequence() });
for (const opts of [{}, {repeatPenalty:false}, {disableContextShift:true}]) {
const t0=performance.now(); let last=t0; const gaps=[];
const r = await c.generateCompletionWithMeta("Hello world", { maxTokens: 60, onToken: t=>{const n=performance.now(); gaps.push(Math.round(n-last)); last=n;}, ...opts });
console.log(JSON.stringify(opts), (performance.now()-t0).toFixed(0), "ms", gaps.join(","));
}
