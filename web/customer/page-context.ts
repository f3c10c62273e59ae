// What the page tells the server at conversation start besides the form
// (the contact submission's `context`): the page the chat starts from, for
// URL routing — a `page` query parameter (an embedding page passes its own
// address) or else the referring page — and an id this browser keeps, so a
// returning visitor may go to the agent who served them before.
import { randomId } from './dom.js';

const VISITOR_KEY = 'switchboard.visitor';
const VISITOR_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface PageContext { pageUrl?: string; visitorId?: string }

export function pageContext(): PageContext {
  const out: PageContext = {};
  const page = new URLSearchParams(location.search).get('page') || document.referrer;
  if (/^https?:\/\/\S+$/i.test(page) && page.length <= 2048) out.pageUrl = page;
  try {
    let id = localStorage.getItem(VISITOR_KEY);
    if (!id || !VISITOR_ID.test(id)) { id = randomId(); localStorage.setItem(VISITOR_KEY, id); }
    out.visitorId = id;
  } catch { /* storage refused (private mode, blocked cookies): no visitor id */ }
  return out;
}
