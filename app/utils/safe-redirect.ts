/** Only same-site paths: never send someone to another site after sign-in. */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example";
  // a backslash is read as a slash. Refuse both anywhere.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001F\u007F\\]/.test(to)) return fallback;
  // A Location header holds bytes, not text: percent-encode what is not plain ASCII
  // (only those characters: existing %XX escapes stay as they are).
  if (/[^\u0020-\u007E]/.test(to)) {
    try {
      return to.replace(/[^\u0020-\u007E]+/g, (s) => encodeURIComponent(s));
    } catch {
      return fallback; // a lone surrogate
    }
  }
  return to;
}
