import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { mouDocx } from '../../app/features/mou/mou-docx.server';
import { isRightToLeft } from '../../app/utils/text-direction';

// Right-to-left paragraphs in the .docx are marked so Word lays them out from the right.

const paragraphsOf = (xml: string) => xml.match(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/gs) ?? [];

describe('text direction', () => {
  it('follows the first strong character, as dir="auto" does', () => {
    expect(isRightToLeft('مؤسسة الحق تنظم أمسية.')).toBe(true);
    expect(isRightToLeft('«בצלם» ערב עיון')).toBe(true);
    expect(isRightToLeft('2025: مؤسسة الحق')).toBe(true);
    expect(isRightToLeft('Vigil with مؤسسة الحق')).toBe(false);
    expect(isRightToLeft('12345 ...')).toBe(false);
  });
});

describe('the .docx export', () => {
  it('sets w:bidi and w:rtl on right-to-left paragraphs only', async () => {
    const buffer = await mouDocx({
      reference: 'CHI-2026-001',
      mouVersion: 1,
      sections: [
        { key: 'purpose', title: 'Purpose', body: 'ستعقد الأمسية في قاعة المجتمع.\n\nThe event is a public vigil.', clauses: [] },
      ],
      record: null,
      organization: 'The Organization',
      chapterName: 'Chicago Local Group',
      partnerName: 'مؤسسة الحق',
      leadName: 'Lead',
      eventTitle: 'أمسية تضامن',
    });
    const xml = strFromU8(unzipSync(new Uint8Array(buffer))['word/document.xml']!);
    const paragraphs = paragraphsOf(xml);
    const arabic = paragraphs.find((p) => p.includes('ستعقد الأمسية'))!;
    const english = paragraphs.find((p) => p.includes('The event is a public vigil.'))!;
    const title = paragraphs.find((p) => p.includes('أمسية تضامن'))!;
    expect(arabic).toContain('<w:bidi/>');
    expect(arabic).toContain('<w:rtl/>');
    expect(title).toContain('<w:bidi/>');
    expect(english).not.toContain('<w:bidi/>');
  });
});
