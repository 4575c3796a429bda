import { describe, expect, it } from 'vitest';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { escapeHtml, html } from '../../app/utils/html.server';
import { registerTableMarkup } from '../../app/features/register/register-table-markup.server';
import type { RegisterEntryView } from '../../app/features/register/register-entries';

describe('html template', () => {
  it('escapes every value, in text and in attributes, as React does', () => {
    const hostile = `<img src=x onerror="alert('x')"> & "quoted"`;
    const built = html`<p title="${hostile}">${hostile}</p>`.html;
    expect(built).not.toContain('<img');
    expect(built).toBe(renderToStaticMarkup(React.createElement('p', { title: hostile }, hostile)));
  });

  it('escapes one call after another the same (no state carried between calls)', () => {
    expect([escapeHtml('<a>'), escapeHtml('<a>'), escapeHtml('plain'), escapeHtml('"')]).toEqual(['&lt;a&gt;', '&lt;a&gt;', 'plain', '&quot;']);
  });

  it('passes its own HTML through, joins arrays and leaves nothing for null, undefined and false', () => {
    const items = ['<b>', 'two'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}${0}</ul>`.html).toBe('<ul><li>&lt;b&gt;</li><li>two</li>0</ul>');
  });

  it('never passes a string as HTML, even one that looks like the template’s output', () => {
    const fake = { html: '<script>alert(1)</script>' } as unknown as string;
    expect(html`${String(fake)}`.html).not.toContain('<script>');
  });
});

describe('registerTableMarkup', () => {
  const row: RegisterEntryView = {
    seq: 7,
    at: '2026-11-28T21:11:22.730Z',
    step: 'values',
    outcome: 'compatible',
    actorName: `<script>alert('a')</script>`,
    actorRole: 'staff',
    rationale: 'Fine & <b>bold</b>',
    proposalId: 3,
    reference: 'CSP-"3"',
    eventTitle: "O'Brien <evening>",
    partnerId: 5,
    partnerName: '<img src=x onerror=alert(1)>',
    chapterName: 'A & B',
    campaignName: 'Campaign',
    snippet: [
      { text: '<i>hit</i>', hit: true },
      { text: ' & more', hit: false },
    ],
    snippetInRationale: false,
  };

  it('shows stored text as text and marks the hits of a snippet', () => {
    const table = registerTableMarkup([row], { caption: 'Records <matching>' });
    expect(table).not.toMatch(/<script|<img|<b>|<i>|<evening>|<matching>/);
    expect(table).toContain('<mark>&lt;i&gt;hit&lt;/i&gt;</mark><span> &amp; more</span>');
    expect(table).toContain('aria-label="Record 7 of CSP-&quot;3&quot;"');
    expect(table).toContain('<time dateTime="2026-11-28T21:11:22.730Z">2026-11-28 21:11 UTC</time>');
    expect(table).toContain('<caption class="visually-hidden">Records &lt;matching&gt;</caption>');
  });

  it('leaves out the partner and event columns where the page shows them already', () => {
    const table = registerTableMarkup([{ ...row, snippet: null, rationale: '' }], { caption: 'c', showPartner: false, showEventTitle: false });
    expect(table).not.toContain('/partners/5');
    expect(table).not.toContain('Brien');
    expect(table).toContain('<th scope="col">Proposal</th>');
    expect(table).toContain('<span class="muted">No rationale written.</span>');
  });
});
