import type { ReactNode } from 'react';
import { FieldError } from '../../components/forms';
import type { AttachmentTyped } from '../vetting/step-forms';
import { fieldId, type Errors } from '../vetting/proposal-form';
import { attachmentHref, sizeLabel, typeLabel } from './attachment-list';

// The files of one criterion or item on a step form: those attached (hidden rows with their
// effective date, each removable) and a file field with the date of a new one. Plain form
// controls, so it works without JavaScript (the form is multipart).

/** A hint for the browser's file picker only: the server decides by the file's content. */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls';

export function AttachmentsField({
  base,
  of,
  proposalId,
  attachments,
  errors,
  editable,
  limitLabel,
}: {
  /** The item's field name prefix: `ratings.independence`, `items[2]`, `answers.logo`. */
  base: string;
  /** What the files are for, read after each control's label by screen readers. */
  of: ReactNode;
  proposalId: number;
  attachments: AttachmentTyped[];
  errors: Errors;
  editable: boolean;
  limitLabel: string;
}) {
  const upload = `${base}.upload`;
  const uploadDate = `${base}.uploadDate`;
  const hintId = `${fieldId(upload)}-hint`;
  const uploadErrors = errors?.[upload] ?? undefined;
  const hidden = <span className="visually-hidden"> {of}</span>;
  return (
    <div className="attachments">
      <p className="attachments__title">Files{hidden}</p>
      {attachments.length > 0 ? (
        <ul className="attachment-rows">
          {attachments.map((a, i) => {
            const row = `${base}.attachments[${i}]`;
            const date = `${row}.effectiveDate`;
            const rowErrors = [row, `${row}.sha256`, `${row}.size`, `${row}.type`, `${row}.name`].flatMap((k) => errors?.[k] ?? []);
            const dateErrors = errors?.[date] ?? undefined;
            return (
              <li key={`${a.sha256}-${i}`} className="attachment-row">
                <input type="hidden" name={`${row}.sha256`} value={a.sha256} />
                <input type="hidden" name={`${row}.size`} value={a.size} />
                <input type="hidden" name={`${row}.type`} value={a.type} />
                <input type="hidden" name={`${row}.name`} value={a.name} />
                <input type="hidden" name={`${row}.uploadedAt`} value={a.uploadedAt} />
                <a href={attachmentHref(proposalId, a.sha256)} download={a.name} id={fieldId(row)}>
                  {a.name}
                </a>{' '}
                <span className="muted small">
                  ({typeLabel(a.type)}, {sizeLabel(a.size)})
                </span>
                <FieldError id={`${fieldId(row)}-error`} errors={rowErrors.length ? rowErrors : undefined} />
                <div className="field field--inline">
                  <label htmlFor={fieldId(date)}>
                    Effective date<span className="visually-hidden"> of {a.name}</span>
                  </label>
                  <input
                    type="date"
                    id={fieldId(date)}
                    name={date}
                    defaultValue={a.effectiveDate}
                    aria-invalid={dateErrors?.length ? true : undefined}
                    aria-describedby={dateErrors?.length ? `${fieldId(date)}-error` : undefined}
                  />
                  <FieldError id={`${fieldId(date)}-error`} errors={dateErrors} />
                </div>
                {editable ? (
                  <button
                    type="submit"
                    name="__intent__"
                    value={JSON.stringify({ type: 'remove', payload: { name: `${base}.attachments`, index: i } })}
                    className="button button--secondary button--small"
                  >
                    Remove<span className="visually-hidden"> {a.name}</span>
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {editable ? (
        <div className="attachment-new">
          <div className="field">
            <label htmlFor={fieldId(upload)}>Attach a file{hidden}</label>
            <span className="hint" id={hintId}>
              PDF, images, Word, Excel, PowerPoint or OpenDocument; at most {limitLabel}. The file is checked by its content, not its name.
            </span>
            <input
              type="file"
              id={fieldId(upload)}
              name={upload}
              accept={ACCEPT}
              aria-invalid={uploadErrors?.length ? true : undefined}
              aria-describedby={[hintId, uploadErrors?.length ? `${fieldId(upload)}-error` : ''].filter(Boolean).join(' ')}
            />
            <FieldError id={`${fieldId(upload)}-error`} errors={uploadErrors} />
          </div>
          <div className="field field--inline">
            <label htmlFor={fieldId(uploadDate)}>Effective date of the document{hidden}</label>
            <input type="date" id={fieldId(uploadDate)} name={uploadDate} />
          </div>
          <button type="submit" name="intent" value="attach" className="button button--secondary button--small">
            Attach<span className="visually-hidden"> the file {of}</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
