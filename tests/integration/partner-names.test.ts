import { describe, expect, it } from 'vitest';
import { database, qb, run } from '../../db/connection';
import { createPartner, findPartnerCandidates, partnerById } from '../../db/partners';
import { up as rekeyNames } from '../../db/migrations/2026-11-28-0100-name-keys-in-every-script';
import { matchPartnerName, normalizePartnerName } from '../../workflows/partner-names';

// Partners are found under another spelling in every script, and an empty key
// never matches (on this file's copy of the demo database).

const partner = (name: string) =>
  createPartner({ name, website: null, country: 'Elsewhere', description: 'A group.', publicPositions: [] }, null);

describe('partner names in every script', () => {
  const alHaq = partner('مؤسسة الحق');
  const btselem = partner('בצלם');

  it('finds an Arabic name typed with or without vowel marks and hamza forms', () => {
    for (const typed of ['مؤسسة الحق', 'مُؤَسَّسَة الْحَقّ', 'مؤسسه الحق', 'ﻣﺆﺳﺴﺔ ﺍﻟﺤﻖ']) {
      expect(findPartnerCandidates(typed).map((c) => c.id), typed).toContain(alHaq);
    }
    expect(findPartnerCandidates('مؤسسة الحق')[0]).toMatchObject({ id: alHaq, match: { kind: 'exact' } });
  });

  it('finds a Hebrew name typed with niqqud or a final letter written plain', () => {
    for (const typed of ['בצלם', 'בְּצֶלֶם', 'בצלמ']) expect(findPartnerCandidates(typed).map((c) => c.id), typed).toContain(btselem);
  });

  it('never lists a name for a search it does not contain', () => {
    const ids = findPartnerCandidates('zzzz qqqq').map((c) => c.id);
    expect(ids).not.toContain(alHaq);
    expect(ids).not.toContain(btselem);
    expect(findPartnerCandidates('!!! ...')).toEqual([]);
    expect(matchPartnerName('zzzz qqqq', '')).toBeNull();
  });

  it('matches a name with a word dropped as a close match, not a mere "contains"', () => {
    const match = matchPartnerName(
      normalizePartnerName('Lakeshore Students for Palestinian Rights'),
      normalizePartnerName('Lakeshore University Students for Palestinian Rights'),
    );
    expect(match?.kind).toBe('close');
    expect(matchPartnerName(normalizePartnerName('Students for Justice'), normalizePartnerName('Riverside Faith Coalition'))).toBeNull();
  });

  it('keeps Latin keys as they were', () => {
    expect(normalizePartnerName('The Riverside Coalition, Inc.')).toBe('riverside coalition');
    expect(normalizePartnerName('Café & Friends')).toBe('cafe and friends');
  });

  it('re-keys partners stored with the old Latin-only key', async () => {
    run(qb().updateTable('partners').set({ normalized_name: '' }).where('id', '=', alHaq));
    expect(findPartnerCandidates('مؤسسة الحق').map((c) => c.id)).not.toContain(alHaq);
    await rekeyNames(database().kysely as unknown as Parameters<typeof rekeyNames>[0]);
    expect(partnerById(alHaq)?.normalized_name).toBe(normalizePartnerName('مؤسسة الحق'));
    expect(findPartnerCandidates('مؤسسة الحق').map((c) => c.id)).toContain(alHaq);
  });
});
