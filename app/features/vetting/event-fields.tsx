// The event part of a proposal, shared by the new-proposal and edit-details forms. A
// module of its own so the step pages, which share the controls, do not ship it.
import { RequiredNote } from '../../components/forms';
import { PastDateHint } from './event-date-notice';
import { RadioGroup, fieldId, SelectField, TextArea, type Errors } from './proposal-form';
import { TextField } from './text-field';

const KIND_OPTIONS = [
  { value: 'co_listing', label: 'Co-listing', hint: 'Our name on their event listing' },
  { value: 'co_hosting', label: 'Co-hosting', hint: 'We organize it together' },
  { value: 'speaker', label: 'Speaker', hint: 'We provide a speaker' },
  { value: 'shared_materials', label: 'Shared materials', hint: 'Joint flyers, posts or handouts' },
];

/** The event part of a proposal: shared by the new-proposal and edit-details forms. */
export function EventFields({
  values,
  errors,
  campaigns,
}: {
  values: Record<string, unknown> | undefined | null;
  errors: Errors;
  campaigns: { id: number; name: string }[];
}) {
  const v = (k: string) => (values && typeof values[k] === 'string' ? (values[k] as string) : values && typeof values[k] === 'number' ? String(values[k]) : undefined);
  return (
    <>
      <RequiredNote />
      <TextField name="eventTitle" label="Event title" required errors={errors} defaultValue={v('eventTitle')} />
      <div className="grid-2 grid-tight">
        <div>
          <TextField name="eventDate" type="date" label="Event date" required errors={errors} defaultValue={v('eventDate')} />
          <PastDateHint inputId={fieldId('eventDate')} initial={v('eventDate')} />
        </div>
        <TextField name="eventPlace" label="Place" required errors={errors} defaultValue={v('eventPlace')} hint="Venue and city, or “online”." />
      </div>
      <TextArea name="eventDescription" label="Description" required limit={5000} rows={4} errors={errors} defaultValue={v('eventDescription')} hint="What happens, who speaks, what the partner asks of the chapter." />
      <RadioGroup
        name="kind"
        legend="Kind of co-sponsorship"
        required
        errors={errors}
        defaultValue={v('kind')}
        options={KIND_OPTIONS.map((k) => ({ value: k.value, label: `${k.label} (${k.hint.toLowerCase()})` }))}
      />
      <SelectField
        name="campaignId"
        label="Campaign"
        required
        errors={errors}
        defaultValue={v('campaignId')}
        options={campaigns.map((c) => ({ value: String(c.id), label: c.name }))}
        hint="The campaign this event serves: positions belong to a campaign."
      />
    </>
  );
}
