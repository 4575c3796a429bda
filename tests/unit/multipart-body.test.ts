import { describe, expect, it } from 'vitest';
import { formBodyProblem } from '../../app/http/request-body';
import { takesFiles } from '../../app/http/form-limits';

// A multipart body is read by the boundary in its Content-Type header: checked with the
// bare type, every multipart post (a form with a file) was refused as malformed.

const boundary = 'CosponsorBoundary';
const body = Buffer.from(
  `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nattach\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="ratings.independence.upload"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n` +
    `--${boundary}--\r\n`,
);

describe('multipart posts at the HTTP layer', () => {
  it('checks a well-formed multipart form by its boundary, and still refuses a broken one', async () => {
    expect(await formBodyProblem(body, 'multipart/form-data', `multipart/form-data; boundary=${boundary}`)).toBeNull();
    expect(await formBodyProblem(body.subarray(0, 60), 'multipart/form-data', `multipart/form-data; boundary=${boundary}`)).toMatch(/incomplete or malformed/);
  });

  it('gives the larger limit to the rated step forms only', () => {
    expect(takesFiles('/proposals/12/steps/values')).toBe(true);
    expect(takesFiles('/proposals/12/steps/risk')).toBe(true);
    expect(takesFiles('/proposals/12/steps/perception')).toBe(true);
    expect(takesFiles('/proposals/12/steps/agenda')).toBe(false);
    expect(takesFiles('/login')).toBe(false);
    expect(takesFiles('/proposals/12/steps/values/../../../login')).toBe(false);
  });
});
