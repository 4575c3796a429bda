// Step 2: agenda mapping. The partner's agenda items, each mapped onto the positions
// catalog and classified; rows are added and removed with submit buttons (no JS needed).
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { evaluateAgenda } from '../../workflows/rules/agenda';
import { activeConfig } from '../../db/config';
import { partnerById, publicPositionsOf } from '../../db/partners';
import { AgendaMap, classificationInfo } from '../components/agenda-map';
import { Tag } from '../components/forms';
import { RadioGroup, SelectField, StepShell, TextArea } from '../components/proposal-form';
import { emptyAgendaItem, formToObject, previewAgendaInput, readAgendaTyped, type AgendaTyped } from '../forms/steps';
import { agendaFormSchema, agendaInputOf } from '../forms/steps.server';
import { stepAction, stepPage, type StepActionData } from '../services/proposals.server';
import { STALE_NOTE } from '../forms/steps';
import { actingUser, requireProposal } from '../utils/auth.server';
import { outcomeLabel, outcomeTone } from '../utils/labels';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Agenda mapping · Cosponsor' }];

const CLASSIFICATIONS = ['aligned', 'compatible', 'no_position', 'conflicting', 'unknown'] as const;
const STANCE_GROUP: Record<string, string> = {
  calls_for: 'The organization calls for',
  no_position: 'The organization takes no position on',
  opposes: 'The organization opposes',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  const { docs, versions } = activeConfig();
  const partner = partnerById(proposal.partner_id)!;
  return json({
    ...stepPage(actingUser(user), proposal, 'agenda'),
    positions: docs.positions.positions.map((p) => ({
      key: p.key,
      statement: p.statement,
      stance: p.stance,
      campaignKey: p.campaignKey,
      perceptionSensitive: p.perceptionSensitive,
      keywords: [] as string[],
      sources: [] as { seed: string; quote: string }[],
    })),
    positionsVersion: versions.positions,
    partnerPublicPositions: publicPositionsOf(partner),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: agendaFormSchema });
  return stepAction({
    request,
    user: actingUser(user),
    proposal,
    step: 'agenda',
    formData,
    submission,
    inputOf: agendaInputOf,
    editRows: (values, intent) => {
      if (intent === 'add-item') {
        const items = [...values.items, emptyAgendaItem()];
        return { values: { items }, notice: `Agenda item ${items.length} added.`, focus: `f-items-${items.length - 1}-text` };
      }
      const m = /^remove-item-(\d+)$/.exec(intent);
      if (m) {
        const n = Number(m[1]);
        const items = values.items.filter((_, i) => i !== n);
        return { values: { items }, notice: `Agenda item ${n + 1} removed.`, focus: 'add-item' };
      }
      return null;
    },
  });
}

function shorten(s: string, n = 110) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export default function AgendaStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StepActionData<'agenda'> | undefined;
  const navigation = useNavigation();
  const values: AgendaTyped = actionData?.values ?? page.initial.values;
  const nonce = actionData?.nonce ?? page.initial.savedAt ?? 'initial';
  const [live, setLive] = useState<{ nonce: unknown; values: AgendaTyped } | null>(null);
  const shown = live && live.nonce === nonce ? live.values : values;
  const errors = actionData?.errors;
  const statementOf = new Map(page.positions.map((p) => [p.key, p.statement]));
  const result = evaluateAgenda(previewAgendaInput(shown).items, page.positions, { publicPositions: page.partnerPublicPositions });
  const groups = Object.entries(STANCE_GROUP).map(([stance, label]) => ({
    label,
    options: page.positions.filter((p) => p.stance === stance).map((p) => ({ value: p.key, label: shorten(p.statement) })),
  }));

  return (
    <StepShell
      title="Step 2 · Agenda mapping"
      intro={
        <p>
          List what the partner campaigns for, in general and at this event, and map each item onto the organization’s positions
          (catalog version {page.positionsVersion}). Items you cannot map stay “unknown” until staff classify them. An item on which
          the organization takes no position must not look endorsed.
        </p>
      }
      editable={page.editable}
      readOnlyReason="This step is read-only here: it is not the proposal’s current step, or you cannot edit this proposal."
      version={page.version}
      source={page.initial.source}
      savedAt={page.initial.savedAt}
      notice={actionData?.notice}
      stale={actionData?.stale}
      staleNote={STALE_NOTE}
      formError={actionData?.formError}
      errors={errors}
      nonce={nonce}
      focus={actionData?.focus}
      onChange={(form) => setLive({ nonce, values: readAgendaTyped(formToObject(form)) })}
      checkLabel="Check the outcome"
      submitLabel="Submit the agenda mapping"
      busy={navigation.state === 'submitting'}
      after={
        <section className="outcome-panel" id="outcome" tabIndex={-1} aria-live="polite" aria-labelledby="outcome-title">
          <h3 id="outcome-title">Outcome as it will be recorded</h3>
          <p>
            <Tag tone={outcomeTone(result.outcome)}>{outcomeLabel(result.outcome)}</Tag>
          </p>
          <p>{result.summary}</p>
          {result.perceptionRequired ? (
            <div className="alert alert--warn perception-trigger">
              <h4>A BDS-perception review will be required</h4>
              <ul>
                {result.perceptionReasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <p className="small">
                The organization takes no position on BDS. The review makes sure the event does not create the perception that it is
                involved in the BDS movement.
              </p>
            </div>
          ) : (
            <p className="small muted">No perception trigger so far: the perception review would be recorded as not applicable.</p>
          )}
          <h4>Map</h4>
          <AgendaMap
            emptyText="No items yet."
            items={previewAgendaInput(shown).items.map((it, i) => ({
              id: i,
              text: it.text,
              scope: it.scope,
              classification: it.classification,
              positionKey: it.positionKey,
              positionStatement: it.positionKey ? (statementOf.get(it.positionKey) ?? null) : null,
            }))}
          />
        </section>
      }
    >
      {errors?.items ? (
        <p className="field-error" id="f-items-error">
          {errors.items.join(' ')}
        </p>
      ) : null}
      <ol className="item-rows">
        {values.items.map((item, i) => {
          const base = `items[${i}]`;
          const cls = shown.items[i]?.classification || item.classification || 'unknown';
          return (
            <li key={i} className={`item-row agenda-item agenda-item--${cls}`}>
              <fieldset className="bare">
                <legend className="item-row__legend">Agenda item {i + 1}</legend>
                <TextArea name={`${base}.text`} label={<>What the partner calls for<span className="visually-hidden"> (item {i + 1})</span></>} required rows={2} defaultValue={item.text} errors={errors} />
                <RadioGroup
                  name={`${base}.scope`}
                  legend={<>Scope<span className="visually-hidden"> of item {i + 1}</span></>}
                  required
                  defaultValue={item.scope}
                  errors={errors}
                  options={[
                    { value: 'event', label: 'At this event' },
                    { value: 'general', label: 'Their general agenda' },
                  ]}
                />
                <SelectField
                  name={`${base}.positionKey`}
                  label={<>Organization position<span className="visually-hidden"> for item {i + 1}</span></>}
                  hint="Grouped by stance. Leave empty if none fits: the item stays unknown."
                  defaultValue={item.positionKey}
                  errors={errors}
                  placeholder="None fits (unknown)"
                  groups={groups}
                />
                <RadioGroup
                  name={`${base}.classification`}
                  legend={<>Classification<span className="visually-hidden"> of item {i + 1}</span></>}
                  required
                  defaultValue={item.classification}
                  errors={errors}
                  className="classification-choices"
                  options={CLASSIFICATIONS.map((c) => ({ value: c, label: `${classificationInfo(c).icon} ${classificationInfo(c).label}` }))}
                />
                <p className="small muted classification-help">
                  Aligned: the organization calls for it. Compatible: within the mandate. No position: it must not look endorsed.
                  Conflicting: opposed or outside the mandate.
                </p>
                {page.editable ? (
                  <button type="submit" name="intent" value={`remove-item-${i}`} className="button button--secondary button--small">
                    Remove item {i + 1}
                  </button>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {page.editable ? (
        <button type="submit" name="intent" value="add-item" id="add-item" className="button button--secondary">
          <span aria-hidden="true">+ </span>Add an agenda item
        </button>
      ) : null}
    </StepShell>
  );
}
