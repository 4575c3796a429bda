// The partner's own answers, shown beside the steps and in the dossier. Always framed as
// evidence the partner provided about itself: never in the place of the lead's rating or
// staff's judgment, and always with the record that holds them.
import { Tag } from '../../components/forms';
import { formatDateTime } from '../../utils/labels';
import { ACCEPTANCE_LABEL, STANCE_LABEL, type PartnerAnswers, type Questionnaire } from './questions';

export type PartnerEvidenceView = {
  linkId: number;
  seq: number;
  at: string;
  contactName: string;
  questions: Questionnaire;
  answers: PartnerAnswers;
};

type Part = 'values' | 'agenda' | 'perception';

const PART_TITLE: Record<Part, string> = {
  values: 'Leadership and funding',
  agenda: 'Public positions',
  perception: 'Conditions and use of name',
};

export function PartnerAnswersPanel({
  evidence,
  parts,
  headingLevel = 2,
  id,
}: {
  evidence: PartnerEvidenceView[];
  parts: Part[];
  headingLevel?: 2 | 3;
  id?: string;
}) {
  if (evidence.length === 0) return null;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  const headingId = `${id ?? 'partner-answers'}-heading`;
  return (
    <section className="panel partner-evidence" id={id} aria-labelledby={headingId} data-provenance="partner">
      <H id={headingId}>
        The partner’s own answers <Tag tone="neutral">Provided by the partner</Tag>
      </H>
      <p className="small muted">
        What the partner said about itself through the questionnaire link: evidence to weigh, not the chapter’s or staff’s judgment.
      </p>
      {evidence.map((e) => (
        <div key={e.linkId} className="stack partner-evidence__set">
          <p className="small">
            Given by <strong dir="auto">{e.answers.respondent.name}</strong>
            {e.answers.respondent.role ? (
              <>
                , <span dir="auto">{e.answers.respondent.role}</span>
              </>
            ) : null}{' '}
            (link sent to <span dir="auto">{e.contactName}</span>), {formatDateTime(e.at)} · record #{e.seq}
          </p>
          {parts.includes('values') ? <ValuesPart e={e} Sub={Sub} /> : null}
          {parts.includes('agenda') ? <AgendaPart e={e} Sub={Sub} /> : null}
          {parts.includes('perception') ? <PerceptionPart e={e} Sub={Sub} /> : null}
        </div>
      ))}
    </section>
  );
}

function ValuesPart({ e, Sub }: { e: PartnerEvidenceView; Sub: 'h3' | 'h4' }) {
  return (
    <div>
      <Sub>{PART_TITLE.values}</Sub>
      <dl className="facts">
        <dt>Leadership</dt>
        <dd className="pre-line" dir="auto">
          {e.answers.leadership}
        </dd>
        <dt>Funding</dt>
        <dd className="pre-line" dir="auto">
          {e.answers.funding}
        </dd>
        {e.answers.links.length > 0 ? (
          <>
            <dt>Links given</dt>
            <dd>
              <ul className="small">
                {e.answers.links.map((l) => (
                  <li key={l}>
                    <a href={l} rel="noopener noreferrer nofollow" dir="auto">
                      {l}
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

function AgendaPart({ e, Sub }: { e: PartnerEvidenceView; Sub: 'h3' | 'h4' }) {
  if (e.questions.positions.length === 0) return null;
  return (
    <div className="table-wrap">
      <Sub>{PART_TITLE.agenda}</Sub>
      <table className="data">
        <caption className="visually-hidden">The partner’s public positions, as it gave them</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">The partner says</th>
            <th scope="col">Where it said so</th>
          </tr>
        </thead>
        <tbody>
          {e.questions.positions.map((p) => {
            const a = e.answers.positions[p.key];
            return (
              <tr key={p.key}>
                <th scope="row" dir="auto">
                  {p.text}
                </th>
                <td>{a ? STANCE_LABEL[a.stance] : '—'}</td>
                <td dir="auto">{a?.statement || <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PerceptionPart({ e, Sub }: { e: PartnerEvidenceView; Sub: 'h3' | 'h4' }) {
  const rows = [
    ...e.questions.perception.conditions.map((c) => ({ key: c.key, label: c.label, a: e.answers.conditions[c.key] })),
    ...(e.questions.useOfName && e.answers.useOfName ? [{ key: 'use-of-name', label: e.questions.useOfName.title, a: e.answers.useOfName }] : []),
  ];
  return (
    <div className="table-wrap">
      <Sub>{PART_TITLE.perception}</Sub>
      <table className="data">
        <caption className="visually-hidden">Whether the partner accepts each condition and the use-of-name clause</caption>
        <thead>
          <tr>
            <th scope="col">Condition</th>
            <th scope="col">The partner says</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td>{r.a ? <Tag tone={r.a.answer === 'accept' ? 'good' : 'warn'}>{ACCEPTANCE_LABEL[r.a.answer]}</Tag> : '—'}</td>
              <td dir="auto">{r.a?.comment || <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
