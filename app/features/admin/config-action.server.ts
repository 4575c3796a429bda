// The POST of a configuration editor page (values criteria, positions, risk
// matrix, perception checklist): the form parsed with the editor's schema, a
// new version saved on top of the one the editor started from, and the reply.
// Like step-action.server.ts, this is the form boundary; the service is
// saveConfigVersion.
import { parseWithZod } from '@conform-to/zod/v4';
import { json } from '@remix-run/node';
import type { z } from 'zod';
import type { ConfigDocs } from '../../../workflows/types';
import { actingUser, requirePermission } from '../../utils/auth.server';
import { statusOf } from '../../utils/errors.server';
import { redirectWithFlash } from '../../utils/session.server';
import { saveConfigVersion, type EditableKind } from './config.server';

type EditorSchema = z.ZodType<{ baseVersion: number; note: string } & Record<string, unknown>>;

export async function configEditorAction<K extends EditableKind>(request: Request, kind: K, schema: EditorSchema, pagePath: string) {
  const admin = await requirePermission(request, 'admin.manage');
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success') {
    // An added or removed entry comes back with what was typed; only a save is an error.
    const status = submission.status === 'error' ? 400 : 200;
    return json({ result: submission.reply(), formError: status === 400 ? 'Some fields need attention. Nothing was saved.' : null, stale: null }, { status });
  }
  // Every field of an editor's schema besides the base version and the note is the document.
  const { baseVersion, note, ...doc } = submission.value;
  const saved = saveConfigVersion(actingUser(admin), kind, doc as ConfigDocs[K], note, baseVersion);
  if (!saved.ok) {
    return json(
      {
        result: submission.reply({ fieldErrors: saved.fieldErrors ?? {} }),
        formError: saved.message,
        stale: saved.kind === 'stale' ? { base: baseVersion, current: saved.current } : null,
      },
      { status: statusOf(saved) },
    );
  }
  return redirectWithFlash(pagePath, { kind: 'success', message: saved.message });
}
