// "Search the positions catalog" on the agenda step. Without JavaScript the search
// button posts the step form (intent=search-positions) and the page comes back with
// the matches and everything typed kept; with JavaScript the same list filters as
// the lead types, and "Use for item N" sets that item's position select.
// Shared by the route's action and the browser: no server modules, no zod.
import { useState, useSyncExternalStore } from 'react';
import { Tag } from '../../components/forms';

export type CatalogPosition = {
  key: string;
  statement: string;
  stance: string;
  campaign: string | null;
  keywords: string[];
  sources: { seed: string; quote: string }[];
};

const STANCE_TAG: Record<string, { label: string; tone: 'good' | 'warn' | 'bad' | 'neutral' }> = {
  calls_for: { label: 'Calls for', tone: 'good' },
  no_position: { label: 'No position', tone: 'warn' },
  opposes: { label: 'Opposes', tone: 'bad' },
};

/** The optgroup labels of the items' position selects (kept in step with the agenda route). */
export const STANCE_GROUP: Record<string, string> = {
  calls_for: 'The organization calls for',
  no_position: 'The organization takes no position on',
  opposes: 'The organization opposes',
};

export function shorten(s: string, n = 110) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Lower case, accents dropped. */
function foldText(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** The positions whose statement or keywords contain every word of the query (case- and accent-insensitive). */
export function matchPositions<P extends { statement: string; keywords: string[] }>(positions: P[], query: string): P[] {
  const words = foldText(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!words.length) return [];
  return positions.filter((p) => {
    const hay = foldText([p.statement, ...p.keywords].join(' '));
    return words.every((w) => hay.includes(w));
  });
}

export function matchCountText(n: number, query: string): string {
  const q = query.trim();
  if (n === 0) return `No positions match “${q}”.`;
  return `${n} position${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''} “${q}”.`;
}

export function PositionSearch({
  positions,
  initialQuery,
  itemCount,
  selectIdOf,
}: {
  positions: CatalogPosition[];
  initialQuery: string;
  itemCount: number;
  /** The id of item i's position select. */
  selectIdOf: (i: number) => string;
}) {
  const [query, setQuery] = useState(initialQuery);
  const hydrated = useHydrated();
  const [used, setUsed] = useState<string | null>(null);
  const results = matchPositions(positions, query);
  const searched = foldText(query).split(/[^\p{L}\p{N}]+/u).some(Boolean);

  function use(p: CatalogPosition, i: number) {
    const select = document.getElementById(selectIdOf(i)) as HTMLSelectElement | null;
    if (!select) return;
    select.value = p.key;
    // As if chosen by hand: conform's value (the live outcome) follows input events, the unsaved-work guard change events.
    select.dispatchEvent(new Event('input', { bubbles: true }));
    select.dispatchEvent(new Event('change', { bubbles: true }));
    setUsed(`Item ${i + 1} now maps to “${p.statement}”`);
  }

  return (
    <section className="position-search" aria-labelledby="position-search-title">
      <h3 id="position-search-title">Search the positions catalog</h3>
      <div className="field">
        <label htmlFor="f-positionSearch">Words to look for in the positions’ statements and keywords</label>
        <span className="hint" id="f-positionSearch-hint">
          Every word must match; case and accents are ignored. Then choose the position in the item’s “Organization position” list
          {hydrated ? ' or use the buttons below' : ''}.
        </span>
        <div className="position-search__controls">
          <input
            id="f-positionSearch"
            name="positionSearch"
            type="search"
            dir="auto"
            defaultValue={initialQuery}
            aria-describedby="f-positionSearch-hint"
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              setUsed(null);
            }}
            onKeyDown={(e) => {
              // The results already follow the typing: Enter must not submit the step form.
              if (e.key === 'Enter') e.preventDefault();
            }}
          />
          <button type="submit" name="intent" value="search-positions" className="button button--secondary">
            Search the positions catalog
          </button>
        </div>
      </div>
      <p className="position-search__status" id="position-search-status" role="status" aria-live="polite" tabIndex={-1}>
        {used ? `${used}.` : searched ? matchCountText(results.length, query) : ''}
      </p>
      {searched && results.length ? (
        <ul className="position-results" id="position-search-results" aria-label="Matching positions">
          {results.map((p) => {
            const tag = STANCE_TAG[p.stance] ?? { label: p.stance, tone: 'neutral' as const };
            const statementId = `position-result-${p.key}`;
            return (
              <li key={p.key} className={`position-result position-result--${p.stance}`}>
                <p className="position-result__statement" id={statementId}>
                  {p.statement}
                </p>
                <p className="position-result__meta small">
                  <Tag tone={tag.tone}>{tag.label}</Tag> <span>Campaign: {p.campaign ?? 'Organization-wide'}</span>{' '}
                  <span>
                    Option key: <code>{p.key}</code>
                  </span>
                </p>
                <p className="position-result__where small">
                  In an item’s list, under “{STANCE_GROUP[p.stance] ?? p.stance}”: “{shorten(p.statement)}”.
                </p>
                {p.sources.length ? (
                  <ul className="position-result__sources small" aria-label="Sources">
                    {p.sources.map((s, j) => (
                      <li key={j}>
                        <q>{s.quote}</q> <span className="muted">(source {s.seed})</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {hydrated && itemCount > 0 ? (
                  <p className="position-result__use">
                    {Array.from({ length: itemCount }, (_, i) => (
                      <button
                        key={i}
                        type="button"
                        className="button button--secondary button--small"
                        aria-describedby={statementId}
                        onClick={() => use(p, i)}
                      >
                        Use for item {i + 1}
                      </button>
                    ))}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

const noSubscription = () => () => {};
/** False in the server's HTML and during hydration, true once the browser runs the page. */
function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
