// Join errors (XEP-0045 §7.2.6-7.2.10) keep the MUC <x/> child and carry a text.
import { errorReply, xml, type Element, type ErrorType } from '../xmpp.js';
import { NS_MUC } from './state.js';

export function joinError(presence: Element, type: ErrorType, condition: string, text: string): Element {
  return errorReply(presence, type, condition, text, [xml('x', { xmlns: NS_MUC })]);
}
