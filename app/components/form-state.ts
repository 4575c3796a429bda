// The client half of the server-validated forms (configuration editors, MOU template, MOU step,
// sign-in, notification settings, users and chapters): the
// field names, ids, typed values and server messages of a form, read from the server's
// answer (conform's SubmissionResult) or the loaded values. It renders what conform's
// useForm renders, with the same names, ids and list-intent buttons, so the server's
// parseWithZod handles every submit as before; it ships none of conform's client state
// machinery (about 9 KB gzipped), which these forms did not use: they validate on the
// server only, and "add"/"remove" are plain submit buttons that work without JavaScript.
import { useEffect, useMemo } from 'react';
// Types only: erased from the browser bundle.
import type { SubmissionResult } from '@conform-to/react';

export type { SubmissionResult };

/** The name conform's server side reads a list intent ("insert", "remove") from. */
const INTENT = '__intent__';

type Path = (string | number)[];

type Source = { values: unknown; errors: Record<string, string[] | null | undefined>; formId: string; generation: string };

/** What a field holds as form text: a string for a single value, else the nested shape. */
type TextShape<T> = NonNullable<T> extends string | number | boolean ? string | undefined : unknown;

type Fieldset<T> = { [K in keyof T]-?: FieldMetadata<T[K]> };

export type FieldMetadata<T> = {
  id: string;
  name: string;
  formId: string;
  errorId: string;
  descriptionId: string;
  /** A key that changes whenever the server's answer changes what the form shows, so React re-renders the field from it. */
  key: string;
  /** The value the field starts from, in its text shape (numbers as strings, booleans as "on"). */
  initialValue: TextShape<T>;
  /** The same: these forms change only through the server's answers, so the value shown is the one rendered. */
  value: TextShape<T>;
  errors: string[] | undefined;
  getFieldList(): FieldMetadata<NonNullable<T> extends readonly (infer I)[] ? I : never>[];
  getFieldset(): Fieldset<NonNullable<T> extends Record<string, unknown> ? NonNullable<T> : never>;
};

type ListButton = { name: string; value: string; form: string; formNoValidate: true };

export type FormMetadata<T> = {
  id: string;
  errorId: string;
  key: string;
  errors: string[] | undefined;
  noValidate: true;
  insert: { getButtonProps(payload: { name: string; index?: number; defaultValue?: unknown }): ListButton };
  remove: { getButtonProps(payload: { name: string; index: number }): ListButton };
  /** Only to keep the form's field type; never read. */
  readonly _fields?: T;
};

/** A value in the text shape a form submits: conform's serialize. */
function serialize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(serialize);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'on' : undefined;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialize(v)]));
  return value ?? undefined;
}

/** `sections[0].clauses[2].text`, the names conform and parseWithZod use. */
function nameOf(path: Path): string {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function field<T>(source: Source, path: Path): FieldMetadata<T> {
  const name = nameOf(path);
  const id = `${source.formId}-${name}`;
  return {
    id,
    name,
    formId: source.formId,
    errorId: `${id}-error`,
    descriptionId: `${id}-description`,
    key: `${source.generation}:${name}`,
    initialValue: valueAt(source.values, path) as TextShape<T>,
    value: valueAt(source.values, path) as TextShape<T>,
    errors: source.errors[name] ?? undefined,
    getFieldList() {
      const list = valueAt(source.values, path);
      return (Array.isArray(list) ? list : []).map((_, i) => field(source, [...path, i]));
    },
    getFieldset() {
      return fieldset(source, path);
    },
  };
}

function fieldset<T>(source: Source, path: Path): Fieldset<T> {
  return new Proxy({} as Fieldset<T>, {
    get: (_, key) => (typeof key === 'string' ? field(source, [...path, key]) : undefined),
  });
}

/** A short hash of what the form shows, so the form re-mounts exactly when that changes. */
function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (h * 33) ^ text.charCodeAt(i);
  return (h >>> 0).toString(36);
}

/**
 * The form's metadata and its fields, as conform's useForm gives them: what the server
 * answered (what was typed, and its messages) when there is an answer, else the loaded values.
 */
export function useForm<T extends Record<string, unknown>>({
  id,
  defaultValue,
  lastResult,
}: {
  id: string;
  defaultValue?: Partial<T>;
  lastResult?: SubmissionResult<string[]> | null;
  shouldValidate?: 'onSubmit';
}): [FormMetadata<T>, Fieldset<T>] {
  const shown = lastResult?.initialValue ?? serialize(defaultValue ?? {});
  const errors = lastResult?.error ?? {};
  // As conform does: when the server refuses the form, focus goes to its first field with a message.
  useEffect(() => {
    if (lastResult?.status !== 'error') return;
    const formElement = document.getElementById(id);
    if (!(formElement instanceof HTMLFormElement)) return;
    const messages = lastResult.error ?? {};
    for (const element of Array.from(formElement.elements)) {
      const name = element.getAttribute('name');
      if (name && messages[name]?.length && element instanceof HTMLElement) {
        element.focus();
        break;
      }
    }
  }, [id, lastResult]);
  const text = JSON.stringify([shown, errors]);
  const generation = useMemo(() => hash(text), [text]);
  const source: Source = { values: shown, errors, formId: id, generation };
  const button = (intent: unknown): ListButton => ({ name: INTENT, value: JSON.stringify(intent), form: id, formNoValidate: true });
  const form: FormMetadata<T> = {
    id,
    errorId: `${id}-error`,
    key: generation,
    errors: errors[''] ?? undefined,
    noValidate: true,
    insert: { getButtonProps: (payload) => button({ type: 'insert', payload: { ...payload, defaultValue: serialize(payload.defaultValue) } }) },
    remove: { getButtonProps: (payload) => button({ type: 'remove', payload }) },
  };
  return [form, fieldset<T>(source, [])];
}

type ControlOptions = { ariaDescribedBy?: string };

function aria(meta: { errors: string[] | undefined; errorId: string }, options: ControlOptions) {
  const invalid = meta.errors !== undefined;
  const describedBy = invalid ? `${meta.errorId} ${options.ariaDescribedBy ?? ''}`.trim() : options.ariaDescribedBy;
  return { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy };
}

export function getFormProps(form: FormMetadata<unknown>) {
  return { id: form.id, noValidate: form.noValidate, 'aria-describedby': form.errors ? form.errorId : undefined };
}

export function getInputProps(meta: FieldMetadata<unknown>, options: ControlOptions & { type: string; value?: string }) {
  const base = { id: meta.id, name: meta.name, form: meta.formId, type: options.type, ...aria(meta, options) };
  if (options.type === 'checkbox' || options.type === 'radio') {
    const value = options.value ?? 'on';
    return { ...base, value, defaultChecked: Array.isArray(meta.initialValue) ? meta.initialValue.includes(value) : meta.initialValue === value };
  }
  return { ...base, defaultValue: typeof meta.initialValue === 'string' ? meta.initialValue : undefined };
}

export function getTextareaProps(meta: FieldMetadata<unknown>, options: ControlOptions = {}) {
  return { id: meta.id, name: meta.name, form: meta.formId, ...aria(meta, options), defaultValue: meta.initialValue == null ? undefined : String(meta.initialValue) };
}

export function getSelectProps(meta: FieldMetadata<unknown>, options: ControlOptions = {}) {
  return { id: meta.id, name: meta.name, form: meta.formId, ...aria(meta, options), defaultValue: meta.initialValue == null ? undefined : String(meta.initialValue) };
}

/** A fieldset grouping a field's choices (a list of checkboxes): conform's getFieldsetProps. */
export function getFieldsetProps<T>(meta: FieldMetadata<T>, options: ControlOptions = {}) {
  const { 'aria-describedby': describedBy } = aria(meta, options);
  return { id: meta.id, name: meta.name, form: meta.formId, 'aria-describedby': describedBy };
}

/** One checkbox or radio button per option, checked when the field holds it: conform's getCollectionProps. */
export function getCollectionProps<T>(meta: FieldMetadata<T>, options: ControlOptions & { type: 'checkbox' | 'radio'; options: readonly string[] }) {
  const held: unknown = meta.initialValue;
  return options.options.map((value) => ({
    key: `${meta.key}${value}`,
    id: `${meta.id}-${value}`,
    name: meta.name,
    form: meta.formId,
    type: options.type,
    value,
    defaultChecked: Array.isArray(held) ? held.includes(value) : held === value,
    ...aria(meta, options),
  }));
}
