"use client";

import { useEffect, useLayoutEffect, useRef } from "react";

function fit(el: HTMLTextAreaElement) {
  el.style.height = "auto";
  // scrollHeight leaves out the border; border-box sizing counts it.
  const border = el.offsetHeight - el.clientHeight;
  el.style.height = `${el.scrollHeight + Math.max(border, 0)}px`;
}

/** A textarea that grows with its text (and with its wrapping, when the width changes), so long options wrap. */
export function useAutoGrow(value: string) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    if (ref.current) fit(ref.current);
  }, [value]);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      fit(el);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return ref;
}
