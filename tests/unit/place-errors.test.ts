import { describe, expect, it } from 'vitest';
import { placeErrors } from '../../app/utils/form-errors.server';

// A refused form's errors go where the page shows them: beside a field it has, else in its alert.

describe('placeErrors', () => {
  it('keeps an error under a shown field beside it, and an item’s error beside its list', () => {
    expect(placeErrors({ name: ['Enter a name.'], 'roles[1]': ['Choose one of the listed roles.'] }, ['name', 'roles'])).toEqual({
      formErrors: undefined,
      fieldErrors: { name: ['Enter a name.'], roles: ['Choose one of the listed roles.'] },
    });
  });

  it('moves errors about anything the form does not show into its message, each once', () => {
    const placed = placeErrors(
      { '': ['Refused.'], intent: ['Choose an action on this page.'], chapterId: ['Choose a chapter on this page.'], other: ['Refused.'], empty: null },
      ['name'],
    );
    expect(placed).toEqual({ formErrors: ['Refused.', 'Choose an action on this page.', 'Choose a chapter on this page.'], fieldErrors: {} });
  });

  it('has nothing to place for no errors', () => {
    expect(placeErrors(undefined, ['name'])).toEqual({ formErrors: undefined, fieldErrors: {} });
  });
});
