// Just the part of @xmpp/client 0.14 (and the ltx Element under it) this page
// uses; the package ships no types.
declare module '@xmpp/client' {
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: Array<Element | string>;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    getText(): string;
    toString(): string;
  }

  type Child = Element | string | null | undefined | false;
  export function xml(name: string, attrs?: Record<string, string | number | undefined> | null, ...children: Array<Child | Child[]>): Element;

  export type Status =
    | 'offline' | 'connecting' | 'connect' | 'opening' | 'open' | 'online'
    | 'closing' | 'close' | 'disconnecting' | 'disconnect';

  export interface Jid { toString(): string; local: string; domain: string; resource: string }

  export interface Client {
    status: Status;
    jid: Jid | null;
    start(): Promise<Jid>;
    stop(): Promise<unknown>;
    /** Closes the connection without stopping @xmpp/reconnect. */
    disconnect(): Promise<unknown>;
    send(stanza: Element): Promise<void>;
    on(event: 'stanza', listener: (stanza: Element) => void): this;
    on(event: 'online', listener: (jid: Jid) => void): this;
    on(event: 'status', listener: (status: Status) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'offline', listener: () => void): this;
    /** Every element from the server, stream features included, before stanza handling. */
    prependListener(event: 'element', listener: (element: Element) => void): this;
    /** @xmpp/reconnect: retries `delay` ms after each disconnect until stop(). */
    reconnect: { delay: number; stop(): void };
    /** @xmpp/iq caller: resolves with the result, rejects on an error reply or a TimeoutError. */
    iqCaller: { request(iq: Element, timeoutMs?: number): Promise<Element> };
  }

  export interface ClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
    /** XEP-0388 user agent element; passing one spares crypto.randomUUID (secure contexts only). */
    userAgent?: Element;
    timeout?: number;
  }

  export function client(options: ClientOptions): Client;
}
