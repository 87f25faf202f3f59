/** The message without URLs, host:port pairs and absolute file paths: what went wrong stays, where does not. */
export function hideLocations(text: string | null): string | null {
  if (text === null) return null;
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"')]+/gi, "(address hidden)")
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, "(address hidden)")
    .replace(/(^|[\s("'])(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}/g, "$1(path hidden)");
}
