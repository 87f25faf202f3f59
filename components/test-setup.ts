import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Testing Library unmounts between tests only when the runner exposes globals; vitest here does not.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  // The clinician page keeps its history in localStorage: each test starts without one.
  localStorage.clear();
});
