import { z } from 'zod';

// The inbox page's two buttons: mark one message read, or all of them.
export const inboxActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('read-all') }),
    z.object({ intent: z.literal('read'), id: z.number({ error: 'Choose a message.' }).int().min(1, 'Choose a message.') }),
  ],
  { error: 'Unknown action.' },
);
