// The HTML of the tip form that works without JavaScript (routes.ts serves it): the form, the receipt, the
// follow-up and the conversation. Plain HTML and one stylesheet from the same origin: no script, no font, no
// image, no third-party address, relative links only (every page is under /tip/), so the pages work in Tor
// Browser at its safest setting
// and under any host name (an onion address, a mirror).
import { LIMITS, type FollowUp, type MessageView } from '../service.js';
import { RECEIPT_WORDS } from '../receipt.js';
import type { AttachmentReport } from '../scrub/index.js';

export const FORM_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
label { display: block; font-weight: 600; margin-top: 1rem; }
textarea, input[type=text] { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem; }
textarea { min-height: 12rem; }
button { font: inherit; margin-top: 1rem; padding: .5rem 1.2rem; }
.note { color: #444; font-size: .95rem; }
.problem { border-left: 4px solid #b00020; background: #fdecee; padding: .6rem 1rem; }
.receipt { font: 1.3rem/1.8 ui-monospace, monospace; background: #f4f4f4; padding: 1rem; word-spacing: .4rem; }
.message { border-top: 1px solid #ccc; padding-top: .5rem; white-space: pre-wrap; }
.meta { color: #555; font-size: .9rem; }
form.inline { display: inline; } form.inline button { margin-top: 0; padding: .1rem .6rem; }
`;

const MB = 1024 * 1024;

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · chipwatch</title>
<link rel="stylesheet" href="form.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function problem(message: string | undefined): string {
  return message ? `<p class="problem" role="alert">${escapeHtml(message)}</p>` : '';
}

const FILES_NOTE =
  `Up to ${LIMITS.attachments} files, ${LIMITS.attachmentBytes / MB} MB each, ${LIMITS.totalBytes / MB} MB in all. ` +
  'Documents carry metadata (authors, GPS positions, printer dots); remove it first if it could name you ' +
  '(<code>chipwatch tips scrub FILE</code> does, on your own machine).';

/** The anonymous tip form. `text` is put back after a problem, so nothing typed is lost. */
export function tipFormPage(o: { stamp: string; text?: string; problem?: string }): string {
  return page(
    'Report export-control violations',
    `<h1>Report the smuggling or diversion of controlled AI chips</h1>
<p>Tell us what you know: who, what (chip models, serial numbers, quantities), where, when, and how you know it.
No account, no name, no e-mail. This server keeps no address, browser or time of day of a submission, and
seals your report to the investigators' keys the moment it arrives: from then on only they can read it.</p>
<p class="note">For the strongest protection use Tor Browser, and <code>chipwatch tips submit</code>, which seals
your report on your own machine before it is sent.</p>
${problem(o.problem)}
<form method="post" action="./" enctype="multipart/form-data">
<input type="hidden" name="stamp" value="${escapeHtml(o.stamp)}">
<label for="text">Your report</label>
<textarea id="text" name="text" required maxlength="${LIMITS.textBytes}">${escapeHtml(o.text ?? '')}</textarea>
<label for="files">Documents (optional)</label>
<input id="files" type="file" name="files" multiple>
<p class="note">${FILES_NOTE}</p>
<button type="submit">Send the report</button>
</form>
<h2>Sent a report before?</h2>
<p><a href="follow-up">Read the investigators' replies or add to your report</a> with your receipt.</p>`,
  );
}

/** What was removed from each document before it was sealed (as `chipwatch tips submit` prints it). */
function scrubReport(report: AttachmentReport[]): string {
  if (report.length === 0) return '';
  const items = report.map((r) => {
    const what = r.note ?? (r.removed.length ? `removed ${r.removed.join(', ')}` : 'no metadata found');
    return `<li>${escapeHtml(r.name)}: ${escapeHtml(what)}</li>`;
  });
  return `<p>Your documents, before they were sealed:</p>\n<ul class="scrub">${items.join('')}</ul>`;
}

export function receiptPage(o: {
  receipt: string;
  submittedOn: string;
  commitment: string;
  report: AttachmentReport[];
}): string {
  return page(
    'Report received',
    `<h1>Your report was received</h1>
<p>Received on ${escapeHtml(o.submittedOn)}. This is your receipt. <strong>Write it down now and keep it
safe</strong>: it is shown only once, nobody else has it, and it is the only way to read replies, add to your
report or, later, show that the report was yours (for an award).</p>
<p class="receipt" aria-label="receipt">${escapeHtml(o.receipt)}</p>
<p class="note">Commitment of this report in the public transparency log: <code>${escapeHtml(o.commitment)}</code>.
It reveals nothing about the report; with your receipt it proves you filed it on that day.</p>
${scrubReport(o.report)}
<p><a href="follow-up">Read replies or add to the report</a> · <a href="./">Send another report</a></p>`,
  );
}

/** The follow-up form: the receipt, and optionally a message to add. */
export function followUpFormPage(o: { receipt?: string; text?: string; problem?: string }): string {
  return page(
    'Follow up a report',
    `<h1>Follow up your report</h1>
<p>Type the ${RECEIPT_WORDS} words of your receipt to read the investigators' replies. To add to your report,
write it below as well.</p>
${problem(o.problem)}
${followUpForm(o.receipt ?? '', o.text ?? '')}
<p><a href="./">Send a new report</a></p>`,
  );
}

function followUpForm(receipt: string, text: string): string {
  return `<form method="post" action="follow-up" enctype="multipart/form-data">
<label for="receipt">Receipt (${RECEIPT_WORDS} words)</label>
<input id="receipt" type="text" name="receipt" value="${escapeHtml(receipt)}" autocomplete="off"
 spellcheck="false" required>
<label for="text">Add to your report (optional)</label>
<textarea id="text" name="text" maxlength="${LIMITS.textBytes}">${escapeHtml(text)}</textarea>
<label for="files">Documents (optional)</label>
<input id="files" type="file" name="files" multiple>
<p class="note">${FILES_NOTE}</p>
<button type="submit">Read replies / add</button>
</form>`;
}

function messageHtml(receipt: string, m: MessageView): string {
  const who = m.from === 'tipster' ? 'You' : 'Investigator';
  const files = m.attachments
    .map(
      (a, i) =>
        `<li>${escapeHtml(a.name)} (${a.bytes} bytes) <form class="inline" method="post" action="attachment">` +
        `<input type="hidden" name="receipt" value="${escapeHtml(receipt)}">` +
        `<input type="hidden" name="seq" value="${m.seq}"><input type="hidden" name="index" value="${i}">` +
        `<button type="submit">download</button></form></li>`,
    )
    .join('');
  return `<article class="message">
<p class="meta">${who}, ${escapeHtml(m.on)}</p>
<div>${escapeHtml(m.text)}</div>${files ? `\n<ul>${files}</ul>` : ''}
</article>`;
}

/** The conversation a receipt opens; `receipt` goes back into the forms of the page (it is the sender's own). */
export function threadPage(receipt: string, t: FollowUp, report: AttachmentReport[] = []): string {
  const added = t.added
    ? `<p class="note" role="status">Your message was added on ${escapeHtml(t.added.on)} (commitment
<code>${escapeHtml(t.added.commitment)}</code>).</p>\n${scrubReport(report)}`
    : '';
  return page(
    'Your report',
    `<h1>Your report</h1>
${added}
<p>Received on ${escapeHtml(t.submittedOn)}; status: <strong>${escapeHtml(t.status)}</strong>.</p>
${t.messages.map((m) => messageHtml(receipt, m)).join('\n')}
<h2>Add to your report</h2>
${followUpForm(receipt, '')}`,
  );
}

/** A page for what went wrong outside the forms (a server error): says so without any detail. */
export function failurePage(message: string): string {
  return page(
    'Something went wrong',
    `<h1>Something went wrong</h1>\n${problem(message)}\n<p><a href="./">Back to the form</a></p>`,
  );
}
