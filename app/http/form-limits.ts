// Bounds on what a form post may contain, checked on the raw field names before
// any form parser (conform builds arrays from `items[N]` names: one name with a
// huge N allocates an array that large). Pure: no I/O, usable anywhere.

import { parseDecimal } from '../utils/whole-number';

/** The largest body we read: the largest real form (an MOU of 60 long sections) fits with room to spare. */
export const DEFAULT_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** No form of ours has a list longer than this (the largest, MOU clauses, stops at 100). */
export const MAX_LIST_INDEX = 300;
export const MAX_FIELDS = 5_000;
export const MAX_FIELD_NAME_LENGTH = 200;

// Read as app/utils/env.server.ts reads them (which refuses a bad value at start).
export function bodyLimitBytes(): number {
  const raw = parseDecimal(process.env.BODY_LIMIT_BYTES?.trim());
  return raw !== null && raw > 0 ? raw : DEFAULT_BODY_LIMIT_BYTES;
}

/** The largest evidence file (UPLOAD_MAX_BYTES, checked in app/utils/env.server.ts). */
const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export function uploadMaxBytes(): number {
  const raw = parseDecimal(process.env.UPLOAD_MAX_BYTES?.trim());
  return raw !== null && raw > 0 ? raw : DEFAULT_UPLOAD_MAX_BYTES;
}

/**
 * A form with files may carry the form plus twice the file limit: a file up to twice too
 * large still arrives, so the page can refuse it beside its field with everything else kept
 * (docs/decisions/0170-evidence-attachments.md); beyond that the body is refused unread.
 */
export function multipartBodyLimitBytes(): number {
  return bodyLimitBytes() + 2 * uploadMaxBytes();
}

/** The forms that take evidence files (the rated steps); every other post keeps the form limit, multipart or not. */
export function takesFiles(pathname: string): boolean {
  return /^\/proposals\/\d+\/steps\/(values|risk|perception)\/?$/.test(pathname);
}

// Names a parser would write onto Object.prototype instead of the form's object.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Why this set of field names cannot be a form of ours, or null when it can.
 * Refused: empty names, overlong names, indices that are not plain numbers,
 * indices beyond MAX_LIST_INDEX, and lists with gaps (items[0] then items[61]).
 */
export function formNamesProblem(names: Iterable<string>): string | null {
  const indicesOfList = new Map<string, Set<number>>();
  let count = 0;
  for (const name of names) {
    if (++count > MAX_FIELDS) return `The form has more than ${MAX_FIELDS.toLocaleString('en-US')} fields.`;
    if (name === '') return 'A form field has no name.';
    if (name.length > MAX_FIELD_NAME_LENGTH) return 'A form field name is too long.';
    // Walk "a.b[3].c[0]": every bracket must hold a plain index within bounds.
    let rest = name;
    let prefix = '';
    for (;;) {
      const open = rest.indexOf('[');
      if (open === -1) break;
      const close = rest.indexOf(']', open);
      const inside = close === -1 ? null : rest.slice(open + 1, close);
      if (inside === null || !/^(0|[1-9][0-9]*)$/.test(inside)) return `The field “${name.slice(0, 60)}” has a list position that is not a number.`;
      const index = inside.length > 6 ? Number.POSITIVE_INFINITY : Number(inside);
      if (index > MAX_LIST_INDEX) return `The field “${name.slice(0, 60)}” is beyond the longest list a form can have (${MAX_LIST_INDEX + 1} rows).`;
      prefix += rest.slice(0, open);
      const list = indicesOfList.get(prefix) ?? new Set<number>();
      list.add(index);
      indicesOfList.set(prefix, list);
      prefix += `[${inside}]`;
      rest = rest.slice(close + 1);
    }
    for (const segment of name.split(/[.[\]]/)) {
      if (FORBIDDEN_SEGMENTS.has(segment)) return 'A form field has a reserved name.';
    }
  }
  for (const [list, indices] of indicesOfList) {
    // Rows are numbered 0..n-1 by every form of ours; a gap means a hand-made post.
    if (Math.max(...indices) !== indices.size - 1) return `The list “${list.slice(0, 60)}” has missing rows (a gap in its numbering).`;
  }
  return null;
}

// The form library reads two field names itself, before any schema: `__intent__` (the JSON
// value of a list's add and remove buttons) and `__state__`. It JSON-parses them and applies
// the intent to the form's values: an unreadable value threw (a 500), a list position in the
// name or the index built an array that large (items[99999999] aborted the process), and an
// intent on a field that is not a list threw too. Our buttons send only these two shapes.
const LIST_INTENT_FIELD = '__intent__';
const FORM_STATE_FIELD = '__state__';
// A list's path: names and row positions (`items`, `ratings.independence.attachments`, `items[2].attachments`).
const LIST_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|[1-9][0-9]*)\])*$/;
const LIST_BUTTON_REFUSAL = 'A button of the form sent an action that is not one this form sends.';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isListIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_LIST_INDEX;

/** A new row's starting values: empty text, or one level of named texts. */
function isRowDefault(v: unknown): boolean {
  if (v === undefined || typeof v === 'string') return true;
  return isPlainObject(v) && Object.entries(v).every(([key, value]) => !FORBIDDEN_SEGMENTS.has(key) && typeof value === 'string');
}

/**
 * Why the form library's own fields in this post are not what our forms send, or null.
 * `fields` is every (name, value) of the post: a list button's target must be a list of the
 * form (named only with positions, never as a field or an object of its own).
 */
export function listIntentProblem(fields: Iterable<readonly [string, unknown]>): string | null {
  const intents: unknown[] = [];
  const names = new Set<string>();
  for (const [name, value] of fields) {
    if (name === FORM_STATE_FIELD) return LIST_BUTTON_REFUSAL;
    if (name === LIST_INTENT_FIELD) intents.push(value);
    else names.add(name);
  }
  if (intents.length === 0) return null;
  if (intents.length > 1 || typeof intents[0] !== 'string') return LIST_BUTTON_REFUSAL;
  let intent: unknown;
  try {
    intent = JSON.parse(intents[0]);
  } catch {
    return LIST_BUTTON_REFUSAL;
  }
  if (!isPlainObject(intent) || !isPlainObject(intent.payload)) return LIST_BUTTON_REFUSAL;
  const { name, index, defaultValue } = intent.payload;
  if (typeof name !== 'string' || name.length > MAX_FIELD_NAME_LENGTH || !LIST_NAME.test(name)) return LIST_BUTTON_REFUSAL;
  // The row a nested list sits in (items[2].attachments) needs no rows before it here: only bounds and reserved names.
  for (const segment of name.split(/[.[\]]/)) {
    if (FORBIDDEN_SEGMENTS.has(segment) || (/^[0-9]+$/.test(segment) && (segment.length > 6 || Number(segment) > MAX_LIST_INDEX))) return LIST_BUTTON_REFUSAL;
  }
  for (const field of names) {
    if (field === name || field.startsWith(`${name}.`)) return LIST_BUTTON_REFUSAL;
  }
  if (intent.type === 'insert') return (index === undefined || isListIndex(index)) && isRowDefault(defaultValue) ? null : LIST_BUTTON_REFUSAL;
  if (intent.type === 'remove') return isListIndex(index) ? null : LIST_BUTTON_REFUSAL;
  return LIST_BUTTON_REFUSAL;
}
