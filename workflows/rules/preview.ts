// Live previews on the step forms: a verdict is shown only once the inputs it
// rests on exist. The submitted step is judged by the evaluate* rules alone.

export function undetermined<R extends object>(result: R, summary: string): R & { determined: false; summary: string } {
  return { ...result, determined: false, summary: `Not determined yet: ${summary}` };
}

export function determined<R extends { summary: string }>(result: R): R & { determined: true } {
  return { ...result, determined: true };
}
