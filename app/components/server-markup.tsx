// A part of a page rendered to HTML on the server (by its loader) because it only shows data:
// its components never reach the browser, which keeps pages within the JavaScript budget
// (at most 100 KB gzipped, issue 15). Links in it are plain <a href>, so they work without
// JavaScript; with it, a click on one that stays in the app goes through the router as a
// <Link> would (no full reload), and in-page anchors scroll as usual.
import { useNavigate } from '@remix-run/react';
import { createContext, useContext, useEffect, useRef, useState } from 'react';

/**
 * A part's HTML as the loader sends it (server-markup.server.ts): on a first load the page
 * already holds it, so the data the page hydrates from carries only its key (html null) and
 * the browser takes the HTML from the page; a client navigation's data carries the HTML.
 */
export type ServerHtml = { key: string; html: string | null };

/** On the server, the parts' HTML of this request by key (entry.server.tsx); absent in the browser. */
export const ServerHtmlContext = createContext<ReadonlyMap<string, string> | null>(null);

export function ServerMarkup({ html }: { html: string | ServerHtml }) {
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const kept = useContext(ServerHtmlContext);
  const part = typeof html === 'string' ? null : html;
  // Read once, when the page hydrates: the part as the server put it in the page.
  const [fromPage] = useState(() =>
    part && part.html === null && !kept && typeof document !== 'undefined'
      ? (document.querySelector(`[data-server-html="${part.key}"]`)?.innerHTML ?? '')
      : '',
  );
  const shown = part ? (part.html ?? kept?.get(part.key) ?? fromPage) : (html as string);
  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const follow = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download') || link.origin !== window.location.origin) return;
      if (link.pathname === window.location.pathname && link.search === window.location.search && link.hash) return;
      event.preventDefault();
      navigate(`${link.pathname}${link.search}${link.hash}`);
    };
    node.addEventListener('click', follow);
    return () => node.removeEventListener('click', follow);
  }, [navigate]);
  // The same HTML the server rendered: hydration keeps it as it is.
  return <div ref={ref} className="server-markup" data-server-html={part?.key} dangerouslySetInnerHTML={{ __html: shown }} />;
}
