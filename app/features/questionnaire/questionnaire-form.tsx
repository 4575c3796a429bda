// The partner's questionnaire form: plain HTML controls (it is served without scripts), every
// control labelled, each group a fieldset with a legend, each error beside its field, and what
// was typed given back after a refusal. Answers take their own direction (dir="auto").
import { Form } from '@remix-run/react';
import { FieldError, USER_TEXT_DIRECTION } from '../../components/forms';
import { RadioGroup, TextArea, fieldId, type Errors } from '../vetting/proposal-form';
import { ACCEPTANCES, ACCEPTANCE_LABEL, STANCES, STANCE_LABEL, type Questionnaire } from './questions';

/** What the partner typed, as the form sent it (strings in nested objects). */
export type TypedAnswers = Record<string, unknown>;

const at = (typed: TypedAnswers | undefined, path: string): string => {
  let v: unknown = typed;
  for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
};

const stanceOptions = STANCES.map((s) => ({ value: s, label: STANCE_LABEL[s] }));
const acceptanceOptions = ACCEPTANCES.map((a) => ({ value: a, label: ACCEPTANCE_LABEL[a] }));

function TextInput({ name, label, typed, errors, required, autoComplete }: { name: string; label: string; typed?: TypedAnswers; errors: Errors; required?: boolean; autoComplete?: string }) {
  const id = fieldId(name);
  const invalid = Boolean(errors?.[name]?.length);
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span className="req" aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={id}
        name={name}
        type="text"
        defaultValue={at(typed, name)}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        aria-required={required || undefined}
        autoComplete={autoComplete}
        maxLength={200}
        {...USER_TEXT_DIRECTION}
      />
      <FieldError id={`${id}-error`} errors={errors?.[name] ?? undefined} />
    </div>
  );
}

export function QuestionnaireForm({ questions, typed, errors }: { questions: Questionnaire; typed?: TypedAnswers; errors: Errors }) {
  const count = errors ? Object.values(errors).filter((v) => v && v.length).length : 0;
  return (
    <Form method="post" noValidate className="stack partner-form">
      <input type="hidden" name="intent" value="answer" />
      {count > 0 ? (
        <div className="alert alert--bad" role="alert" id="form-alert">
          {count === 1 ? 'One answer needs attention' : `${count} answers need attention`}: see the messages beside the fields. What you typed is kept.
        </div>
      ) : null}

      <fieldset className="panel">
        <legend>About you</legend>
        <TextInput name="respondent.name" label="Your name" typed={typed} errors={errors} required autoComplete="name" />
        <TextInput name="respondent.role" label="Your role in your organization" typed={typed} errors={errors} autoComplete="organization-title" />
      </fieldset>

      <fieldset className="panel">
        <legend>{questions.transparency.label}: leadership and funding</legend>
        <p className="small muted">{questions.transparency.description}</p>
        <TextArea name="leadership" label="Who leads your organization?" hint="Names and roles of the people who lead it, or where they are published." required limit={5000} rows={3} defaultValue={at(typed, 'leadership')} errors={errors} />
        <TextArea name="funding" label="How is your organization funded?" hint="The main sources of funding, or where they are published." required limit={5000} rows={3} defaultValue={at(typed, 'funding')} errors={errors} />
        <TextArea name="links" label="Links (optional)" hint="One address per line, starting with https://" rows={2} defaultValue={at(typed, 'links')} errors={errors} />
      </fieldset>

      {questions.positions.length > 0 ? (
        <fieldset className="panel">
          <legend>Your public positions</legend>
          <p className="small muted">For each of these, tell us where your organization stands in public.</p>
          {questions.positions.map((p, i) => (
            <fieldset key={p.key} className="criterion">
              <legend dir="auto">
                {i + 1}. {p.text}
              </legend>
              <RadioGroup
                name={`positions.${p.key}.stance`}
                legend={<>Your position<span className="visually-hidden"> on item {i + 1}</span></>}
                required
                options={stanceOptions}
                defaultValue={at(typed, `positions.${p.key}.stance`)}
                errors={errors}
              />
              <TextArea
                name={`positions.${p.key}.statement`}
                label={<>Where you said so (optional)<span className="visually-hidden"> for item {i + 1}</span></>}
                rows={2}
                limit={2000}
                defaultValue={at(typed, `positions.${p.key}.statement`)}
                errors={errors}
              />
            </fieldset>
          ))}
        </fieldset>
      ) : null}

      <fieldset className="panel">
        <legend>Conditions of the co-sponsorship</legend>
        <p className="small muted">
          {questions.organization} takes no position on the {questions.perception.movement} movement. These conditions keep the event from suggesting otherwise.
        </p>
        {questions.perception.conditions.map((c, i) => (
          <fieldset key={c.key} className="criterion">
            <legend>
              {i + 1}. {c.label}
            </legend>
            <p dir="auto">{c.text}</p>
            <RadioGroup
              name={`conditions.${c.key}.answer`}
              legend={<>Your answer<span className="visually-hidden"> to condition {i + 1}</span></>}
              required
              options={acceptanceOptions}
              defaultValue={at(typed, `conditions.${c.key}.answer`)}
              errors={errors}
            />
            <TextArea
              name={`conditions.${c.key}.comment`}
              label={<>Comment<span className="visually-hidden"> on condition {i + 1}</span></>}
              hint="Required if you cannot accept it: say why, or what you could accept."
              rows={2}
              limit={2000}
              defaultValue={at(typed, `conditions.${c.key}.comment`)}
              errors={errors}
            />
          </fieldset>
        ))}
      </fieldset>

      {questions.useOfName ? (
        <fieldset className="panel">
          <legend>{questions.useOfName.title}</legend>
          <p dir="auto">{questions.useOfName.text}</p>
          <RadioGroup
            name="useOfName.answer"
            legend={<>Your answer<span className="visually-hidden"> to the use-of-name clause</span></>}
            required
            options={acceptanceOptions}
            defaultValue={at(typed, 'useOfName.answer')}
            errors={errors}
          />
          <TextArea
            name="useOfName.comment"
            label={<>Comment<span className="visually-hidden"> on the use-of-name clause</span></>}
            hint="Required if you cannot accept it."
            rows={2}
            limit={2000}
            defaultValue={at(typed, 'useOfName.comment')}
            errors={errors}
          />
        </fieldset>
      ) : null}

      <p className="small muted">Your answers go to the chapter and the staff who vet this co-sponsorship, marked as your organization’s own answers. You can send them once.</p>
      <div className="form-actions">
        <button type="submit" className="button">
          Send our answers
        </button>
      </div>
    </Form>
  );
}

export function PasscodeForm({ error }: { error?: string | null }) {
  const id = fieldId('passcode');
  return (
    <Form method="post" noValidate className="panel stack">
      <input type="hidden" name="intent" value="unlock" />
      <div className="field">
        <label htmlFor={id}>
          Passcode<span className="req" aria-hidden="true"> *</span>
        </label>
        <span className="hint" id={`${id}-hint`}>
          Your contact gave you a passcode with this link.
        </span>
        <input
          id={id}
          name="passcode"
          type="password"
          autoComplete="off"
          aria-required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        />
        <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button">
          Open the questionnaire
        </button>
      </div>
    </Form>
  );
}
