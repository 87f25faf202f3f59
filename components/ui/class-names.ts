/** Joins the class names that are set; lets a building block take extra classes without string juggling. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}
