import { describe, expect, it } from 'vitest';
import { composeEmail, describeProposal } from '../../app/features/outside/email.server';

// Text typed into a proposal reaches e-mails. Bidirectional controls in it (a right-to-left
// override, an isolate left open) would reorder the rest of the line in a mail client: the
// partner, the chapter and the date could read as something else. Pages isolate such text
// (<bdi>, dir="auto"); an e-mail cannot count on that, so the controls are dropped.

const RLO = '\u202e';
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('user text in e-mails', () => {
  it('drops bidirectional controls from the subject, the greeting and every line, text and HTML', () => {
    const about = describeProposal({
      reference: 'CSP-2026-00042',
      eventTitle: `Teach-in ${RLO}8202 ,1 yaM no`,
      eventDate: '2027-05-01',
      partner: `Group\u2067 with`,
      chapter: 'Chicago\u200f',
    });
    const email = composeEmail({
      to: { name: `Dana${RLO}nimda`, address: 'dana@example.org' },
      subject: `Approved: CSP-2026-00042 Teach-in ${RLO}8202`,
      lines: [`Sam\u202b approved your proposal.`, about],
      link: { href: null, label: 'Open the proposal' },
      why: 'You receive this because you made this proposal.',
    });
    for (const part of [email.subject, email.to.name, email.text, email.html]) expect(part).not.toMatch(BIDI_CONTROLS);
    // The words stay, in the order they were typed.
    expect(email.text).toContain('Teach-in 8202 ,1 yaM no');
    expect(email.text).toContain('Hello Dananimda,');
    expect(email.html).toContain('Group with');
  });

  it('keeps right-to-left text itself, which needs no controls', () => {
    const email = composeEmail({
      to: { name: 'سارة', address: 'sara@example.org' },
      subject: 'Approved: ندوة حقوق الإنسان',
      lines: ['ندوة حقوق الإنسان'],
      link: { href: null, label: 'Open the proposal' },
      why: 'Why.',
    });
    expect(email.subject).toBe('Approved: ندوة حقوق الإنسان');
    expect(email.text).toContain('Hello سارة,');
    expect(email.html).toContain('<p>ندوة حقوق الإنسان</p>');
  });
});
