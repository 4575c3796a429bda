// The page a refusal shows when Remix does not render it: a refused form body, a request Node's
// parser refused before the app saw it, a download a browser followed. Plain and self-contained
// (no stylesheet, no script), so it can be sent from anywhere, even straight to a socket.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function refusalPageHtml({ heading, message, backTo }: { heading: string; message: string; backTo?: string }): string {
  const home = backTo
    ? `Use your browser’s Back button to return to ${escapeHtml(backTo)}, or <a href="/">go to the start page</a>.`
    : '<a href="/">Go to the start page</a>.';
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(heading)} · Cosponsor</title></head>` +
    `<body><main><h1>${escapeHtml(heading)}</h1><p role="alert">${escapeHtml(message)}</p><p>${home}</p></main></body></html>`
  );
}
