import { parseWholeNumber } from './whole-number';

/**
 * The record number in a URL path (/proposals/12), or null. Plain decimal digits (the rule in
 * whole-number.ts), and no leading zero either: "012" next to "12" would give one record two addresses.
 */
export function pathId(param: string | undefined): number | null {
  if (param === undefined || param.startsWith('0')) return null;
  const id = parseWholeNumber(param);
  return id !== null && id > 0 ? id : null;
}
