// The server's copy of a room's file limits (src/core/upload-policy.ts) and
// how the upload gate reads a slot's token (src/http/routes/uploads.ts).
import { expect } from 'chai';
import { acceptsType, uploadRefusal, type UploadPolicy } from '../../src/core/upload-policy.js';
import { slotClaims } from '../../src/http/routes/uploads.js';

const policy: UploadPolicy = { service: 'upload.example.com', maxFiles: 5, maxBytes: 2048, accept: ['image/*', '.pdf', 'text/csv'] };

describe('upload policy (server side)', () => {
  const cases: Array<[string, { name: string; type: string; size: number }, null | { status: 413 | 415; message: string }]> = [
    ['an image within the size', { name: 'a.png', type: 'image/png', size: 2048 }, null],
    ['a PDF known by its name only', { name: 'Invoice.PDF', type: 'application/octet-stream', size: 10 }, null],
    ['a type with parameters', { name: 'list', type: 'text/csv; charset=utf-8', size: 10 }, null],
    ['one byte over', { name: 'a.png', type: 'image/png', size: 2049 }, { status: 413, message: 'a.png is too large: this chat accepts files up to 2 kB.' }],
    ['another type', { name: 'run.exe', type: 'application/x-msdownload', size: 10 }, { status: 415, message: 'run.exe cannot be sent here: this chat accepts only image/*, .pdf, text/csv.' }],
    ['a name that only looks like a PDF', { name: 'x.pdf.exe', type: 'application/octet-stream', size: 10 }, { status: 415, message: 'x.pdf.exe cannot be sent here: this chat accepts only image/*, .pdf, text/csv.' }],
  ];
  for (const [what, file, expected] of cases) {
    it(`${what} → ${expected ? expected.status : 'accepted'}`, () => expect(uploadRefusal(policy, file)).to.deep.equal(expected));
  }
  it('takes any type when the room names none', () => {
    expect(acceptsType([], { name: 'x.bin', type: 'application/octet-stream' })).to.equal(true);
  });
});

describe("upload gate: the slot's token", () => {
  const token = (claims: object) => `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  it('reads the uploader and the file from a mod_http_file_share token', () => {
    expect(slotClaims(token({ sub: 'x1@guest.example.com', filename: 'a.png', filesize: 12, filetype: 'image/png', slot: 's' })))
      .to.deep.equal({ uploader: 'x1@guest.example.com', name: 'a.png', size: 12, type: 'image/png' });
  });
  for (const [what, header] of [['no header', undefined], ['not a bearer token', 'Basic abc'], ['not JSON', 'Bearer a.bm90IGpzb24.c'],
    ['no size', token({ sub: 'x@y', filename: 'a' })], ['one part', 'Bearer abc']] as Array<[string, string | undefined]>) {
    it(`${what} → nothing to check (Prosody answers it)`, () => expect(slotClaims(header)).to.equal(null));
  }
});
