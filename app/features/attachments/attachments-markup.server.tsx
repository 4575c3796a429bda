// The file fields of the risk register rendered to HTML on the server, by the step's loader
// and by each answer of its action: the field has no behaviour of its own (hidden inputs,
// a link, a date, a file input and submit buttons, which work the same without JavaScript),
// so its components stay out of the risk page's JavaScript (issue 15's 100 KB budget), the
// largest of the step pages. The page places each field with components/server-markup.tsx
// inside its form, so the controls are submitted with it as before.
import { renderToStaticMarkup } from 'react-dom/server';
import type { Errors } from '../vetting/proposal-form';
import type { AttachmentTyped } from '../vetting/step-forms';
import { AttachmentsField } from './attachments-field';

type Row = { attachments: AttachmentTyped[] };

/** Each row's file field as HTML, by row index (the same markup AttachmentsField renders on the page). */
export function itemFilesMarkup(
  items: Row[],
  errors: Errors,
  context: { proposalId: number; editable: boolean; limitLabel: string },
): string[] {
  return items.map((item, i) =>
    renderToStaticMarkup(
      <AttachmentsField
        base={`items[${i}]`}
        of={`for item ${i + 1}`}
        proposalId={context.proposalId}
        attachments={item.attachments}
        errors={errors}
        editable={context.editable}
        limitLabel={context.limitLabel}
      />,
    ),
  );
}
