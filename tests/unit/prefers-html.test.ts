import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../app/utils/errors.server';

// Which clients get a refused download as a page: browsers following a link, and nobody else.

describe('prefersHtml', () => {
  it('is true for what browsers send when following a link', () => {
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8')).toBe(true);
    expect(prefersHtml('text/html, */*; q=0.01')).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
  });

  it('is false for fetch, curl and scripts, which take anything or ask for JSON', () => {
    expect(prefersHtml(null)).toBe(false);
    expect(prefersHtml('')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('text/html, application/json')).toBe(false);
  });

  it('reads q=0 as “not this”', () => {
    expect(prefersHtml('text/html;q=0, */*')).toBe(false);
    expect(prefersHtml('text/*;q=0.9, application/json;q=0')).toBe(true);
  });
});
