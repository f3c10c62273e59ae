#!/usr/bin/python3
"""Scriptable stock-XMPP-client agent for Switchboard integration tests.

Behaves like an ordinary client (Gajim / Conversations): logs in, sets
presence, receives MUC invitations (XEP-0249 direct and XEP-0045 mediated),
joins password-protected MUC rooms, chats, sends XEP-0085 chat states and
declines invitations.

Runs on Debian's python3-slixmpp (1.8.x): /usr/bin/python3 slix_agent.py ...

Protocol (see test/clients/slix.ts):
  stdout: one JSON object per line, events only (nothing else is ever printed
          there; logging goes to stderr, WARNING by default, --log-level).
  stdin:  one JSON object per line, commands.  The agent exits 0 when stdin
          closes or on {"cmd":"quit"}; 1 on connection/auth failure; 2 if the
          server drops the connection (after a "disconnected" event).
          Commands received before "online" are queued until then.

Events (extra fields beyond the documented ones may be present):
  online     {jid}
  invite     {kind:"direct"|"mediated", room, password|null, reason|null,
              from, body|null}   one per kind when a stanza carries both
  decline    {room, from|null, reason|null, body|null}   (as inviter)
  joined     {room, nick}        first own presence with status 110
  join_error {room, condition, text|null}  presence type=error from a room
                                           we sent a join to
  presence   {room, nick, type:"available"|"unavailable", destroy|null,
              codes:[int], show, status, role, affiliation, jid, self}
  groupchat  {room, nick|null, body, stanzaId|null, originId|null, id|null,
              delayed}           stanzaId only from <stanza-id by=room>
  chatstate  {room, nick, state, from}  body-less message with a XEP-0085
                                        state (room/nick null if not groupchat)
  subject    {room, nick|null, subject}  body-less groupchat with <subject>
  message    {from, type, body, id, thread}  any other message with a body
  error      {from, condition, text, errorType, stanza}  other error stanzas
  iq_result  {id, from}         result of an iq sent with "raw"
  disconnected {reason}
  ack        {id, ok:true, ...} after a command carrying "id" (say/chat add
             originId and msgId); {id, ok:false, error} if it failed
  cmd_error  {id:null, ok:false, error} failed command without "id"

Commands: join {room, nick, password?, maxstanzas?} | leave {room, nick?,
  status?} | say {room, body, state?} | chatstate {room|to, state} |
  decline {room, reason?, to?} | chat {to, body, type?, state?, thread?} |
  presence {show, status?, rooms?=true} | raw {xml} | quit
"""

import argparse
import asyncio
import json
import logging
import os
import sys
import threading
import uuid
import xml.etree.ElementTree as ET
from typing import Any, Dict, List, Optional, Set

# Keep stdout clean: anything that would print() goes to stderr; events are
# written to the real stdout only through emit().
_OUT = sys.stdout
sys.stdout = sys.stderr

import slixmpp  # noqa: E402
from slixmpp.xmlstream.handler import Callback  # noqa: E402
from slixmpp.xmlstream.matcher import MatchXPath, StanzaPath  # noqa: E402
from slixmpp.xmlstream.tostring import tostring  # noqa: E402

log = logging.getLogger("slix_agent")

NS_CLIENT = "jabber:client"
NS_MUC = "http://jabber.org/protocol/muc"
NS_MUC_USER = "http://jabber.org/protocol/muc#user"
NS_CONFERENCE = "jabber:x:conference"
NS_CHATSTATES = "http://jabber.org/protocol/chatstates"
NS_SID = "urn:xmpp:sid:0"
NS_DELAY = "urn:xmpp:delay"
NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"

CHAT_STATES = ("active", "composing", "paused", "inactive", "gone")
SHOWS = ("away", "xa", "dnd", "chat")

_out_lock = threading.Lock()


def emit(obj: Dict[str, Any]) -> None:
    line = json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    with _out_lock:
        try:
            _OUT.write(line + "\n")
            _OUT.flush()
        except (BrokenPipeError, ValueError):
            pass


def q(ns: str, name: str) -> str:
    return "{%s}%s" % (ns, name)


def bare(jid: str) -> str:
    return jid.split("/", 1)[0]


def resource(jid: str) -> Optional[str]:
    parts = jid.split("/", 1)
    return parts[1] if len(parts) == 2 else None


def child_text(el: Optional[ET.Element], ns: str, name: str) -> Optional[str]:
    if el is None:
        return None
    c = el.find(q(ns, name))
    if c is None:
        return None
    return c.text or ""


def error_info(xml: ET.Element) -> Dict[str, Optional[str]]:
    err = xml.find(q(NS_CLIENT, "error"))
    condition: Optional[str] = None
    text: Optional[str] = None
    etype: Optional[str] = None
    if err is not None:
        etype = err.get("type")
        for c in err:
            if c.tag == q(NS_STANZAS, "text"):
                text = c.text or ""
            elif c.tag.startswith("{%s}" % NS_STANZAS) and condition is None:
                condition = c.tag.split("}", 1)[1]
    return {"condition": condition, "text": text, "errorType": etype}


class Agent(slixmpp.ClientXMPP):
    def __init__(self, jid: str, password: str, show: str, status: Optional[str]) -> None:
        super().__init__(jid, password)
        self.show = show
        self.status = status
        self.quitting = False
        self.exit_code = 0
        self.done: "asyncio.Future[int]" = self.loop.create_future()
        # room bare JID -> nick, for rooms we sent a join to (pending or joined)
        self.rooms: Dict[str, str] = {}
        self.joined: Set[str] = set()
        # room bare JID -> inviter JID from the last mediated invitation
        self.inviters: Dict[str, str] = {}
        # commands received before the session started are run after it
        self.online = False
        self.pending: List[str] = []
        # ids of iqs sent with the "raw" command: their results are reported
        self.raw_iq_ids: Set[str] = set()

        for p in ("xep_0030", "xep_0045", "xep_0085", "xep_0199", "xep_0249", "xep_0359"):
            try:
                self.register_plugin(p)
            except Exception as e:  # xep_0359 may be missing in old versions
                log.warning("plugin %s not available: %s", p, e)

        # Loopback test server: no TLS, allow PLAIN over the clear connection.
        self["feature_mechanisms"].unencrypted_plain = True

        # slixmpp 1.8.3's XEP-0045 decline handler references a non-existent
        # attribute (self.room) and raises, which makes slixmpp answer the
        # room with an error stanza.  We parse declines ourselves.
        try:
            self.remove_handler("MUCDecline")
        except Exception:
            pass

        # Our own raw handlers see every message/presence (slixmpp runs every
        # matching handler, the plugins' ones included).
        self.register_handler(Callback("AgentMessage", MatchXPath(q(NS_CLIENT, "message")), self.on_message))
        self.register_handler(Callback("AgentPresence", MatchXPath(q(NS_CLIENT, "presence")), self.on_presence))
        # Only iq results/errors: a catch-all iq handler would stop slixmpp from
        # answering unknown get/set requests with feature-not-implemented.
        self.register_handler(Callback("AgentIqError", StanzaPath("iq@type=error"), self.on_iq))
        self.register_handler(Callback("AgentIqResult", StanzaPath("iq@type=result"), self.on_iq))

        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("connection_failed", self.on_connection_failed)
        self.add_event_handler("failed_all_auth", self.on_failed_auth)
        self.add_event_handler("disconnected", self.on_disconnected)
        self.add_event_handler("stream_error", self.on_stream_error)

    # ------------------------------------------------------------ lifecycle
    def finish(self, code: int) -> None:
        if not self.done.done():
            self.done.set_result(code)

    async def on_session_start(self, _event: Any) -> None:
        self.send_own_presence()
        self.online = True
        emit({"event": "online", "jid": str(self.boundjid)})
        pending, self.pending = self.pending, []
        for line in pending:
            self.on_stdin_line(line)

    def on_connection_failed(self, err: Any) -> None:
        log.error("connection failed: %s", err)
        self.cancel_connection_attempt()
        self.finish(1)

    def on_failed_auth(self, _event: Any) -> None:
        log.error("authentication failed")
        self.quitting = True
        self.disconnect(wait=0)
        self.finish(1)

    def on_stream_error(self, err: Any) -> None:
        log.error("stream error: %s", err)

    def on_disconnected(self, reason: Any) -> None:
        if not self.quitting:
            log.error("disconnected unexpectedly: %s", reason)
            emit({"event": "disconnected", "reason": None if reason is None else str(reason)})
            self.finish(2)
        else:
            self.finish(self.exit_code)

    # ----------------------------------------------------------- presence
    def make_presence(self, to: Optional[str] = None, ptype: Optional[str] = None) -> ET.Element:
        attrs = {}
        if to:
            attrs["to"] = to
        if ptype:
            attrs["type"] = ptype
        el = ET.Element(q(NS_CLIENT, "presence"), attrs)
        if ptype != "unavailable" and self.show in SHOWS:
            ET.SubElement(el, q(NS_CLIENT, "show")).text = self.show
        if self.status:
            ET.SubElement(el, q(NS_CLIENT, "status")).text = self.status
        return el

    def send_own_presence(self) -> None:
        ptype = "unavailable" if self.show == "unavailable" else None
        self.send_xml(self.make_presence(None, ptype))

    def on_presence(self, pres: Any) -> None:
        try:
            self._on_presence(pres)
        except Exception:
            log.exception("presence handler failed")

    def _on_presence(self, pres: Any) -> None:
        xml: ET.Element = pres.xml
        frm = xml.get("from") or ""
        ptype = xml.get("type") or "available"
        room = bare(frm)
        nick = resource(frm)

        if ptype == "error":
            if room in self.rooms:
                info = error_info(xml)
                emit({"event": "join_error", "room": room, "condition": info["condition"], "text": info["text"]})
                self.rooms.pop(room, None)
                self.joined.discard(room)
            else:
                emit(dict({"event": "error", "from": xml.get("from"), "stanza": tostring(xml)}, **error_info(xml)))
            return

        x = xml.find(q(NS_MUC_USER, "x"))
        if x is None or ptype not in ("available", "unavailable"):
            return  # ordinary roster presence / subscriptions: ignore

        codes: List[int] = []
        for st in x.findall(q(NS_MUC_USER, "status")):
            try:
                codes.append(int(st.get("code") or ""))
            except ValueError:
                pass
        destroy_el = x.find(q(NS_MUC_USER, "destroy"))
        destroy: Optional[str] = None
        if destroy_el is not None:
            destroy = child_text(destroy_el, NS_MUC_USER, "reason") or ""
        item = x.find(q(NS_MUC_USER, "item"))
        ev: Dict[str, Any] = {
            "event": "presence",
            "room": room,
            "nick": nick,
            "type": ptype,
            "destroy": destroy,
            "codes": codes,
            "show": child_text(xml, NS_CLIENT, "show"),
            "status": child_text(xml, NS_CLIENT, "status"),
            "role": item.get("role") if item is not None else None,
            "affiliation": item.get("affiliation") if item is not None else None,
            "jid": item.get("jid") if item is not None else None,
            "self": 110 in codes,
        }
        emit(ev)
        if 110 in codes:
            if ptype == "available":
                if nick is not None:
                    self.rooms[room] = nick
                if room not in self.joined:
                    self.joined.add(room)
                    emit({"event": "joined", "room": room, "nick": nick})
            else:
                self.joined.discard(room)
                self.rooms.pop(room, None)

    # ------------------------------------------------------------ messages
    def on_message(self, msg: Any) -> None:
        try:
            self._on_message(msg)
        except Exception:
            log.exception("message handler failed")

    def _on_message(self, msg: Any) -> None:
        xml: ET.Element = msg.xml
        frm = xml.get("from") or ""
        mtype = xml.get("type") or "normal"
        body = child_text(xml, NS_CLIENT, "body")

        if mtype == "error":
            emit(dict({"event": "error", "from": xml.get("from"), "stanza": tostring(xml)}, **error_info(xml)))
            return

        handled = False
        # XEP-0249 direct invitation
        conf = xml.find(q(NS_CONFERENCE, "x"))
        if conf is not None and conf.get("jid"):
            emit({
                "event": "invite", "kind": "direct", "room": conf.get("jid"),
                "password": conf.get("password"), "reason": conf.get("reason"),
                "from": frm, "body": body,
            })
            handled = True
        muc_x = xml.find(q(NS_MUC_USER, "x"))
        if muc_x is not None:
            inv = muc_x.find(q(NS_MUC_USER, "invite"))
            if inv is not None:
                inviter = inv.get("from") or ""
                if inviter:
                    self.inviters[bare(frm)] = inviter
                emit({
                    "event": "invite", "kind": "mediated", "room": bare(frm),
                    "password": child_text(muc_x, NS_MUC_USER, "password"),
                    "reason": child_text(inv, NS_MUC_USER, "reason"),
                    "from": inviter, "body": body,
                })
                handled = True
            dec = muc_x.find(q(NS_MUC_USER, "decline"))
            if dec is not None:
                emit({
                    "event": "decline", "room": bare(frm), "from": dec.get("from"),
                    "reason": child_text(dec, NS_MUC_USER, "reason"), "body": body,
                })
                handled = True
        if handled:
            return

        state: Optional[str] = None
        for s in CHAT_STATES:
            if xml.find(q(NS_CHATSTATES, s)) is not None:
                state = s
                break

        if mtype == "groupchat":
            room = bare(frm)
            nick = resource(frm)
            if body is not None:
                stanza_id: Optional[str] = None
                for sid in xml.findall(q(NS_SID, "stanza-id")):
                    if sid.get("by") == room:
                        stanza_id = sid.get("id")
                        break
                origin = xml.find(q(NS_SID, "origin-id"))
                emit({
                    "event": "groupchat", "room": room, "nick": nick, "body": body,
                    "stanzaId": stanza_id,
                    "originId": origin.get("id") if origin is not None else None,
                    "id": xml.get("id"),
                    "delayed": xml.find(q(NS_DELAY, "delay")) is not None,
                })
            elif state is not None:
                emit({"event": "chatstate", "room": room, "nick": nick, "state": state, "from": frm})
            else:
                subject = child_text(xml, NS_CLIENT, "subject")
                if subject is not None:
                    emit({"event": "subject", "room": room, "nick": nick, "subject": subject})
            return

        if body is not None:
            emit({"event": "message", "from": frm, "type": mtype, "body": body,
                  "id": xml.get("id"), "thread": child_text(xml, NS_CLIENT, "thread")})
        elif state is not None:
            emit({"event": "chatstate", "room": None, "nick": None, "state": state, "from": frm})

    def on_iq(self, iq: Any) -> None:
        xml: ET.Element = iq.xml
        itype = xml.get("type")
        if itype == "error":
            emit(dict({"event": "error", "from": xml.get("from"), "stanza": tostring(xml)}, **error_info(xml)))
        elif itype == "result" and xml.get("id") in self.raw_iq_ids:
            self.raw_iq_ids.discard(xml.get("id") or "")
            emit({"event": "iq_result", "id": xml.get("id"), "from": xml.get("from")})

    # ------------------------------------------------------------ commands
    def send_xml(self, el: ET.Element) -> None:
        # Serialize relative to the stream's default namespace (jabber:client)
        # so the stanza goes out as <message ...> rather than ns0:message.
        self.send_raw(tostring(el, xmlns=NS_CLIENT, stream=self, top_level=True))

    def message(self, to: str, mtype: str) -> ET.Element:
        return ET.Element(q(NS_CLIENT, "message"), {"to": to, "type": mtype, "id": uuid.uuid4().hex})

    def handle_command(self, cmd: Dict[str, Any]) -> Dict[str, Any]:
        """Executes one command; returns extra fields for the ack."""
        name = cmd.get("cmd")
        if name == "join":
            room = str(cmd["room"])
            nick = str(cmd["nick"])
            pres = self.make_presence("%s/%s" % (room, nick))
            x = ET.SubElement(pres, q(NS_MUC, "x"))
            pw = cmd.get("password")
            if pw is not None:
                ET.SubElement(x, q(NS_MUC, "password")).text = str(pw)
            hist = cmd.get("maxstanzas")
            if hist is not None:
                ET.SubElement(x, q(NS_MUC, "history"), {"maxstanzas": str(int(hist))})
            self.rooms[room] = nick
            self.send_xml(pres)
            return {}
        if name == "leave":
            room = str(cmd["room"])
            nick = cmd.get("nick") or self.rooms.get(room)
            if not nick:
                raise ValueError("not in room %s" % room)
            pres = ET.Element(q(NS_CLIENT, "presence"), {"to": "%s/%s" % (room, nick), "type": "unavailable"})
            if cmd.get("status"):
                ET.SubElement(pres, q(NS_CLIENT, "status")).text = str(cmd["status"])
            self.send_xml(pres)
            return {}
        if name == "say":
            room = str(cmd["room"])
            m = self.message(room, "groupchat")
            ET.SubElement(m, q(NS_CLIENT, "body")).text = str(cmd["body"])
            if cmd.get("state"):
                ET.SubElement(m, q(NS_CHATSTATES, str(cmd["state"])))
            origin = uuid.uuid4().hex
            ET.SubElement(m, q(NS_SID, "origin-id"), {"id": origin})
            self.send_xml(m)
            return {"originId": origin, "msgId": m.get("id")}
        if name == "chatstate":
            state = str(cmd["state"])
            if state not in CHAT_STATES:
                raise ValueError("unknown chat state %s" % state)
            to = cmd.get("room") or cmd.get("to")
            m = self.message(str(to), "groupchat" if cmd.get("room") else "chat")
            ET.SubElement(m, q(NS_CHATSTATES, state))
            self.send_xml(m)
            return {}
        if name == "decline":
            room = str(cmd["room"])
            m = ET.Element(q(NS_CLIENT, "message"), {"to": room, "id": uuid.uuid4().hex})
            x = ET.SubElement(m, q(NS_MUC_USER, "x"))
            attrs = {}
            to = cmd.get("to") or self.inviters.get(room)
            if to:
                attrs["to"] = str(to)
            dec = ET.SubElement(x, q(NS_MUC_USER, "decline"), attrs)
            if cmd.get("reason") is not None:
                ET.SubElement(dec, q(NS_MUC_USER, "reason")).text = str(cmd["reason"])
            self.send_xml(m)
            return {}
        if name == "chat":
            m = self.message(str(cmd["to"]), str(cmd.get("type") or "chat"))
            ET.SubElement(m, q(NS_CLIENT, "body")).text = str(cmd["body"])
            if cmd.get("state"):
                ET.SubElement(m, q(NS_CHATSTATES, str(cmd["state"])))
            if cmd.get("thread"):
                ET.SubElement(m, q(NS_CLIENT, "thread")).text = str(cmd["thread"])
            origin = uuid.uuid4().hex
            ET.SubElement(m, q(NS_SID, "origin-id"), {"id": origin})
            self.send_xml(m)
            return {"originId": origin, "msgId": m.get("id")}
        if name == "presence":
            show = str(cmd.get("show") or "available")
            if show not in SHOWS and show not in ("available", "unavailable"):
                raise ValueError("unknown show %s" % show)
            self.show = show
            self.status = cmd.get("status")
            self.send_own_presence()
            # Like Gajim/Conversations: propagate show/status to joined rooms.
            # (For "unavailable" the server itself tells directed-presence
            # recipients, i.e. the rooms.)
            if show != "unavailable" and cmd.get("rooms", True):
                for room in sorted(self.joined):
                    nick = self.rooms.get(room)
                    if nick:
                        self.send_xml(self.make_presence("%s/%s" % (room, nick)))
            return {}
        if name == "raw":
            raw = str(cmd["xml"])
            try:
                el = ET.fromstring(raw)
                if el.tag in ("iq", q(NS_CLIENT, "iq")) and el.get("id"):
                    self.raw_iq_ids.add(el.get("id") or "")
            except ET.ParseError:
                pass
            self.send_raw(raw)
            return {}
        if name == "quit":
            self.quit(0)
            return {}
        raise ValueError("unknown command %r" % (name,))

    def quit(self, code: int) -> None:
        if self.quitting:
            return
        self.quitting = True
        self.exit_code = code
        fut = self.disconnect(wait=2.0)

        def _done(_f: Any) -> None:
            self.finish(code)
        fut.add_done_callback(_done)
        # safety net
        self.loop.call_later(4.0, self.finish, code)

    def on_stdin_line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if not self.online and not self.quitting:
            self.pending.append(line)
            return
        cid: Any = None
        try:
            cmd = json.loads(line)
            if not isinstance(cmd, dict):
                raise ValueError("command must be a JSON object")
            cid = cmd.get("id")
            extra = self.handle_command(cmd)
            if cid is not None:
                ack: Dict[str, Any] = {"event": "ack", "id": cid, "ok": True}
                ack.update(extra)
                emit(ack)
        except Exception as e:
            log.warning("command failed: %s (%s)", line, e)
            emit({"event": "ack" if cid is not None else "cmd_error", "id": cid, "ok": False,
                  "error": "%s: %s" % (type(e).__name__, e)})

    def on_stdin_eof(self) -> None:
        self.quit(0)


def stdin_reader(agent: Agent, loop: asyncio.AbstractEventLoop) -> None:
    try:
        for line in sys.stdin:
            loop.call_soon_threadsafe(agent.on_stdin_line, line)
    except Exception as e:  # pragma: no cover
        log.warning("stdin reader failed: %s", e)
    loop.call_soon_threadsafe(agent.on_stdin_eof)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jid", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5222)
    ap.add_argument("--show", default="available")
    ap.add_argument("--status", default=None)
    ap.add_argument("--mech", default=None, help="force a SASL mechanism, e.g. PLAIN")
    ap.add_argument("--log-level", default=os.environ.get("SLIX_AGENT_LOG", "WARNING"))
    args = ap.parse_args()

    logging.basicConfig(stream=sys.stderr, level=getattr(logging, args.log_level.upper(), logging.WARNING),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    agent = Agent(args.jid, args.password, args.show, args.status)
    if args.mech:
        agent["feature_mechanisms"].use_mech = args.mech
    agent.connect((args.host, args.port), use_ssl=False, force_starttls=False, disable_starttls=True)

    t = threading.Thread(target=stdin_reader, args=(agent, loop), daemon=True)
    t.start()
    code = loop.run_until_complete(agent.done)
    try:
        _OUT.flush()
    except Exception:
        pass
    # Don't wait for the daemon stdin thread or pending slixmpp tasks.
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
