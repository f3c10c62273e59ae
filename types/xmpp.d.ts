// Minimal typings for the parts of xmpp.js (which ships none) that we use.
declare module '@xmpp/xml' {
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: Array<Element | string>;
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    getText(): string;
    text(): string;
    append(...children: Array<Element | string>): Element;
    remove(el: Element | string, xmlns?: string): Element;
    clone(): Element;
    toString(): string;
  }
  type Child = Element | string | null | undefined | false | Child[];
  export function xml(name: string, attrs?: Record<string, string | number | undefined> | null, ...children: Child[]): Element;
  export default xml;
}

declare module '@xmpp/component' {
  import type { Element } from '@xmpp/xml';
  export { xml } from '@xmpp/xml';
  export type { Element } from '@xmpp/xml';
  export interface Ctx { stanza: Element; from: string; to: string; element: Element }
  export interface XmppComponent {
    start(): Promise<unknown>;
    stop(): Promise<void>;
    send(...el: Element[]): Promise<void>;
    on(ev: 'stanza', fn: (el: Element) => void): void;
    on(ev: 'online', fn: () => void): void;
    on(ev: 'offline' | 'disconnect' | 'connect', fn: () => void): void;
    on(ev: 'error', fn: (err: Error) => void): void;
    on(ev: 'status', fn: (status: string) => void): void;
    status: string;
    socket?: import('node:net').Socket | null;
    reconnect: { delay: number; stop(): void };
    iqCaller: { request(el: Element, timeout?: number): Promise<Element> };
    iqCallee: {
      get(ns: string, name: string, handler: (ctx: Ctx) => Element | Promise<Element> | undefined | boolean): void;
      set(ns: string, name: string, handler: (ctx: Ctx) => Element | Promise<Element> | undefined | boolean): void;
    };
  }
  export function component(opts: { service: string; domain: string; password: string }): XmppComponent;
  export function jid(s: string): { local: string; domain: string; resource: string; bare(): { toString(): string }; toString(): string };
}

declare module '@xmpp/client' {
  import type { Element } from '@xmpp/xml';
  export { xml } from '@xmpp/xml';
  export interface XmppClient {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(...el: Element[]): Promise<void>;
    on(ev: 'stanza', fn: (el: Element) => void): void;
    on(ev: 'online', fn: (jid: { toString(): string }) => void): void;
    on(ev: 'error', fn: (err: Error) => void): void;
    on(ev: 'offline' | 'disconnect', fn: () => void): void;
    jid?: { toString(): string; local: string; domain: string; resource: string };
    reconnect: { stop(): void };
    iqCaller: { request(el: Element, timeout?: number): Promise<Element> };
  }
  export function client(opts: {
    service: string; domain?: string; resource?: string; username?: string; password?: string;
    credentials?: (auth: (c: { username?: string; password?: string }) => Promise<void>, mechanisms: string[], fast?: unknown) => Promise<void>;
  }): XmppClient;
}
