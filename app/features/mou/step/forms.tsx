// The MOU step's two small forms: "no MOU is needed" with a reason, and submitting the saved MOU to staff.
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from '../../../components/form-state';
import { Form } from '@remix-run/react';
import { FieldError } from '../../../components/forms';

// ---- MOU not needed, and submitting ----

export function NotNeededForm({
  proposalId,
  version,
  prominent,
  lastResult,
}: {
  proposalId: number;
  version: number;
  prominent: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm<{ reason: string; version: number; intent: string }>({ id: 'mou-not-needed', lastResult, shouldValidate: 'onSubmit' });
  const content = (
    <Form key={form.key} method="post" {...getFormProps(form)} action={`/proposals/${proposalId}/steps/mou`}>
      {form.errors ? (
        <div className="alert alert--bad" role="alert" id={form.errorId}>
          {form.errors.join(' ')}
        </div>
      ) : null}
      <input type="hidden" name="version" value={version} />
      <div className="field">
        <label htmlFor={fields.reason.id}>Why is no MOU needed?</label>
        <span className="hint" id={`${fields.reason.id}-hint`}>
          For example: a one-off listing of the organization as co-sponsor, with no shared speakers, materials, funds or logo use. Staff can
          still require an MOU.
        </span>
        <textarea
          {...getTextareaProps(fields.reason)}
          dir="auto"
          rows={3}
          aria-describedby={[`${fields.reason.id}-hint`, fields.reason.errors ? fields.reason.errorId : null].filter(Boolean).join(' ')}
        />
        <FieldError id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      <button type="submit" name="intent" value="not-needed" className="button button--secondary">
        Record “MOU not needed” and send to staff
      </button>
    </Form>
  );
  if (prominent) {
    return (
      <section className="panel" aria-labelledby="not-needed-title" data-testid="mou-not-needed">
        <h3 id="not-needed-title">A small one-off co-listing may not need an MOU</h3>
        <p>
          This proposal is a co-listing. If the organization is only listed as a co-sponsor of a one-off event, you may record that no MOU is
          needed, with your reason, instead of drafting one.
        </p>
        {content}
      </section>
    );
  }
  return (
    <details className="panel" data-testid="mou-not-needed" open={Boolean(lastResult)}>
      <summary>This collaboration needs no MOU?</summary>
      <p className="small muted">Allowed for any kind of co-sponsorship, with a reason; staff can still require an MOU.</p>
      {content}
    </details>
  );
}

export function SubmitForm({
  proposalId,
  version,
  mouVersion,
  lastResult,
}: {
  proposalId: number;
  version: number;
  mouVersion: number;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form] = useForm<{ version: number; baseVersion: number; intent: string }>({ id: 'mou-submit', lastResult, shouldValidate: 'onSubmit' });
  return (
    <section className="panel" aria-labelledby="submit-title">
      <h3 id="submit-title">Submit the MOU to staff</h3>
      <Form key={form.key} method="post" {...getFormProps(form)} action={`/proposals/${proposalId}/steps/mou`}>
        {form.errors ? (
          <div className="alert alert--bad" role="alert" id={form.errorId}>
            {form.errors.join(' ')}
          </div>
        ) : null}
        <input type="hidden" name="version" value={version} />
        <input type="hidden" name="baseVersion" value={mouVersion} />
        <p>
          Submits version {mouVersion} as saved, and sends the proposal to staff for review. Save your edits above first.
        </p>
        <button type="submit" name="intent" value="submit" className="button button--good">
          Submit MOU version {mouVersion} to staff
        </button>
      </Form>
    </section>
  );
}
