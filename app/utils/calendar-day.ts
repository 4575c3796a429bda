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

/**
 * The years an event date may fall in: within a hundred of today's. A typo in the year (0025 for
 * 2025) was otherwise stored, reminded about and shown as typed ("Jun 14, 25").
 */
export function eventYearRange(today: Date = new Date()): { from: number; to: number } {
  const year = today.getUTCFullYear();
  return { from: year - 100, to: year + 100 };
}

export function isEventYear(day: string): boolean {
  const { from, to } = eventYearRange();
  const year = Number(day.slice(0, 4));
  return year >= from && year <= to;
}
