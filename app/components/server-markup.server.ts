import type { ServerHtml } from './server-markup';

/** Where a document request keeps its parts' HTML until the page is rendered (the load context). */
export type ServerHtmlStore = { serverHtml?: Map<string, string> };

/**
 * A part's HTML for the page's data. On a first load (a document request, whose load context has
 * a store: app/http.server.ts) the HTML goes into the page only, and the data carries its key:
 * the browser takes the HTML from the page when it hydrates, instead of receiving it twice
 * (16-32 KB on a dossier). A client navigation's data carries the HTML itself.
 */
export function htmlOnce(context: unknown, key: string, html: string): ServerHtml {
  const store = (context as ServerHtmlStore | null)?.serverHtml;
  if (!store) return { key, html };
  store.set(key, html);
  return { key, html: null };
}
