// Step 2: agenda mapping. The partner's agenda items, each mapped onto the positions
// catalog and classified; rows are added and removed with submit buttons (no JS needed).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { previewAgenda } from '../../workflows/rules/agenda';
import { AgendaMap, classificationInfo } from '../components/agenda-map';
import { RadioGroup, SelectField, StepShell, TextArea } from '../features/vetting/proposal-form';
import { insertRowButton, ItemsError, OutcomePanel, RemoveItemButton, useStepForm } from '../features/vetting/step-form';
import { fieldId } from '../features/vetting/proposal-form';
import { PositionSearch, shorten, STANCE_GROUP } from '../features/vetting/position-search';
import { emptyAgendaItem, previewAgendaInput, readAgendaTyped, type AgendaTyped } from '../features/vetting/step-typed-agenda';
import type { StepActionData } from '../features/vetting/step-action.server';
import { agendaStepAction, agendaStepLoader } from '../features/vetting/agenda-step.server';
import { RequiredNote } from '../components/forms';
import { ServerMarkup } from '../components/server-markup';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'Agenda mapping · Cosponsor' }];

const CLASSIFICATIONS = ['aligned', 'compatible', 'no_position', 'conflicting', 'unknown'] as const;

export async function loader(args: LoaderFunctionArgs) {
  return agendaStepLoader(args);
}

export async function action(args: ActionFunctionArgs) {
  return agendaStepAction(args);
}

export default function AgendaStep() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (StepActionData<'agenda'> & { positionSearch?: string }) | undefined;
  const { values, shown, errors, shell } = useStepForm<AgendaTyped>(page, actionData, (data) => readAgendaTyped(data));
  const statementOf = new Map(page.positions.map((p) => [p.key, p.statement]));
  const result = previewAgenda(previewAgendaInput(shown).items, page.positions, { publicPositions: page.partnerPublicPositions });
  const groups = Object.entries(STANCE_GROUP).map(([stance, label]) => ({
    label,
    options: page.positions.filter((p) => p.stance === stance).map((p) => ({ value: p.key, label: shorten(p.statement) })),
  }));

  return (
    <>
    <StepShell
      title="Step 2 · Agenda mapping"
      intro={
        <>
          <p>
            List what the partner campaigns for, in general and at this event, and map each item onto the organization’s positions
            (catalog version {page.positionsVersion}). Items you cannot map stay “unknown” until staff classify them. An item on which
            the organization takes no position must not look endorsed.
          </p>
          <RequiredNote />
        </>
      }
      {...shell}
      checkLabel="Check the outcome"
      submitLabel="Submit the agenda mapping"
      after={
        <OutcomePanel outcome={result.determined ? result.outcome : 'undetermined'}>
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
        </OutcomePanel>
      }
    >
      <ItemsError errors={errors} />
      <ol className="item-rows">
        {values.items.map((item, i) => {
          const base = `items[${i}]`;
          const cls = shown.items[i]?.classification || item.classification || 'unknown';
          return (
            <li key={i} className={`item-row agenda-item agenda-item--${cls}`}>
              <fieldset className="bare">
                <legend className="item-row__legend">Agenda item {i + 1}</legend>
                <TextArea name={`${base}.text`} limit={500} label={<>What the partner calls for<span className="visually-hidden"> (item {i + 1})</span></>} required rows={2} defaultValue={item.text} errors={errors} />
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
                <RemoveItemButton editable={page.editable} index={i} />
              </fieldset>
            </li>
          );
        })}
      </ol>
      {page.editable ? (
        <button {...insertRowButton(emptyAgendaItem())} id="add-item" className="button button--secondary">
          <span aria-hidden="true">+ </span>Add an agenda item
        </button>
      ) : null}
      {page.editable ? (
        <PositionSearch
          positions={page.positions}
          initialQuery={actionData?.positionSearch ?? ''}
          itemCount={values.items.length}
          selectIdOf={(i) => fieldId(`items[${i}].positionKey`)}
        />
      ) : null}
    </StepShell>
      {page.partnerAnswers ? <ServerMarkup html={page.partnerAnswers} /> : null}
    </>
  );
}
