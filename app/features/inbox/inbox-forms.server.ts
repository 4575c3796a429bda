import { z } from 'zod';
import { wholeNumber } from '../../utils/whole-number.server';

// The inbox page's two buttons: mark one message read, or all of them.
export const inboxActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('read-all') }),
    z.object({ intent: z.literal('read'), id: wholeNumber('Choose a message.') }),
  ],
  { error: 'Unknown action.' },
);
