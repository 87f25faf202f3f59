import { modelColor } from "./format";

/** The coloured dot that marks model number `index` in cards, matching its colour in the charts. */
export function ModelDot({ index }: { index: number }) {
  return (
    <span
      aria-hidden
      className="inline-block h-2.5 w-2.5 shrink-0 rounded-full"
      style={{ background: modelColor(index) }}
    />
  );
}
