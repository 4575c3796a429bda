// A part of a page rendered to HTML on the server (by its loader) because it only shows data:
// its components never reach the browser, which keeps pages within the JavaScript budget
// (at most 100 KB gzipped, issue 15). Links in it are plain <a href>, so they work without
// JavaScript; with it, a click on one that stays in the app goes through the router as a
// <Link> would (no full reload), and in-page anchors scroll as usual.
import { useNavigate } from '@remix-run/react';
import { useEffect, useRef } from 'react';

export function ServerMarkup({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
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
  // The same string the server rendered: hydration keeps it as it is.
  return <div ref={ref} className="server-markup" dangerouslySetInnerHTML={{ __html: html }} />;
}
