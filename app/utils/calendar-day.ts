/**
 * Whether `day` is a date written YYYY-MM-DD that exists on the calendar. JavaScript's Date
 * reads 2027-02-31 as 3 March, so a pattern check alone let such a day be stored as typed and
 * shown, reminded and recorded as another. The one rule for every date a form or command takes.
 */
export function isRealDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}
