#!KAMAILIO
#
# Switchboard's SIP engine. Generated from sip/kamailio/kamailio.cfg.tpl at
# start-up ({{PLACEHOLDERS}} filled from the settings); edits are overwritten.
#
# Kamailio keeps the SIP state (transactions, registrations, nonces, bans);
# every decision about people is asked of our process over evapi (JSON in
# netstrings, see sip/evapi/): the HA1 for a REGISTER now, call targets later.
# No evapi client connected = 503 at once instead of 408 after fr_timer.
####### Global parameters
debug=2
log_stderror=yes
log_prefix="{$mt $ci} "
children={{CHILDREN}}
tcp_children={{CHILDREN}}
auto_aliases=no
alias="{{SIP_DOMAIN}}"
listen=udp:{{SIP_INTERFACE}}:{{SIP_PORT}}
listen=tcp:{{SIP_INTERFACE}}:{{SIP_PORT}}
# SIP over WebSocket (RFC 7118), reached through our HTTP origin's /sip-ws relay.
listen=tcp:127.0.0.1:{{WS_PORT}}
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
dns=no
rev_dns=no
use_dns_cache=off
enable_sctp=no
server_header="Server: Switchboard"
user_agent_header="User-Agent: Switchboard"

####### Modules
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
loadmodule "pike.so"
loadmodule "htable.so"
loadmodule "nathelper.so"
loadmodule "rtpengine.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "jansson.so"
loadmodule "evapi.so"
loadmodule "dialog.so"
loadmodule "uac.so"

modparam("tm", "fr_timer", 30000)
modparam("tm", "fr_inv_timer", 120000)
modparam("rr", "enable_full_lr", 1)
modparam("rr", "append_fromtag", 1)

modparam("usrloc", "db_mode", 0)
modparam("usrloc", "timer_interval", {{UL_TIMER}})
modparam("usrloc", "handle_lost_tcp", 1)
modparam("registrar", "min_expires", {{MIN_EXPIRES}})
modparam("registrar", "max_expires", 3600)
modparam("registrar", "default_expires", 3600)
modparam("registrar", "max_contacts", 10)
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "natping_interval", 0)

# Failed digest attempts per source address (sliding window = ban time), and
# the bans themselves; a source over the limit gets 403 to everything.
modparam("htable", "htable", "authfail=>size=8;autoexpire={{BAN_SECONDS}};")
modparam("htable", "htable", "ban=>size=8;autoexpire={{BAN_SECONDS}};")
# Call-IDs that already failed once: the next failure is final (403).
modparam("htable", "htable", "authcid=>size=8;autoexpire=120;")
# Real client address of each relayed WebSocket connection (X-Forwarded-For).
modparam("htable", "htable", "wsip=>size=8;autoexpire=86400;")
# Agents' HA1 our process gave for a REGISTER, kept a while so a re-REGISTER
# needs no round trip (dropped on change, see register.cfg and evapi.cfg).
modparam("htable", "htable", "ha1=>size=10;autoexpire={{HA1_CACHE_SECONDS}};")
# AORs reported to our process lately (item lifetime = half the shortest contact lifetime).
modparam("htable", "htable", "reported=>size=10;autoexpire=3600;")
# Authenticated evapi connections (our process) and their count.
modparam("htable", "htable", "evapi=>size=4;")

modparam("pike", "sampling_time_unit", 2)
modparam("pike", "reqs_density_per_unit", {{FLOOD_LIMIT}})
modparam("pike", "remove_latency", 4)

modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:{{RTPENGINE_NG_PORT}}")
# Re-probe a restarted rtpengine after 10 s (default 60 s).
modparam("rtpengine", "rtpengine_disable_tout", 10)

modparam("websocket", "keepalive_mechanism", 1)
modparam("websocket", "sub_protocols", 1)

modparam("evapi", "bind_addr", "{{EVAPI_BIND}}")
modparam("evapi", "netstring_format", 1)

# Calls are dialogs: their direction (browser or phone on each side) is kept
# for re-INVITEs, their end reported to our process; in-dialog requests must
# belong to one (no forged Route headers to elsewhere).
modparam("dialog", "default_timeout", 43200)
modparam("dialog", "enable_stats", 0)
modparam("dialog", "track_cseq_updates", 1)

####### Routing logic
event_route[htable:mod-init] {
	$sht(evapi=>count) = 0;
}

request_route {
	route(SOURCE);
	if ($sht(ban=>$avp(src)) != $null) {
		sl_send_reply("403", "Forbidden");
		exit;
	}
	# Flood control for everything, except a REGISTER whose user has an HA1
	# kept here: it is checked without our process (a failure goes on to the
	# counted, banned way), costs what a static registrar's REGISTER costs, and
	# pike's per-address tree is the costliest step at high rates.
	if (!is_method("REGISTER") || !is_present_hf("Authorization") || $sht(ha1=>$au) == $null) {
		if (!pike_check_ip("$avp(src)")) {
			xlog("L_WARN", "flood from $avp(src): dropping\n");
			exit;
		}
	}
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		exit;
	}
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {
		sl_send_reply("200", "OK");
		exit;
	}
	route(NATDETECT);
	if (is_method("CANCEL")) {
		if (t_check_trans()) {
			rtpengine_delete("delete-delay=0");
			t_relay();
		}
		exit;
	}
	if (has_totag()) {
		route(WITHINDLG);
		exit;
	}
	if (is_method("ACK")) {
		if (t_check_trans()) {
			t_relay();
		}
		exit;
	}
	t_check_trans();
	if (is_method("REGISTER")) {
		route(REGISTER);
		exit;
	}
	if (is_method("INVITE")) {
		route(INVITE);
		exit;
	}
	if (is_method("MESSAGE")) {
		route(MESSAGE);
		exit;
	}
	if (is_method("OPTIONS")) {
		route(PROBE_RELAY);
	}
	# Nothing else is offered (no SUBSCRIBE, PUBLISH…, no relaying elsewhere).
	sl_send_reply("403", "Forbidden");
}

# $avp(src): the address the request really comes from. Relayed WebSocket
# connections all come from our HTTP process; the relay said who is behind.
route[SOURCE] {
	$avp(src) = $si;
	if ((proto == WS || proto == WSS) && $sht(wsip=>$si:$sp) != $null) {
		$avp(src) = $sht(wsip=>$si:$sp);
	}
}

route[NATDETECT] {
	force_rport();
	if (nat_uac_test("83")) {
		if (is_method("REGISTER")) {
			fix_nated_register();
		} else if (is_first_hop()) {
			set_contact_alias();
		}
	}
}

# Our process must be connected for any decision: 503 at once otherwise.
route[NEED_CONTROL] {
	if ($sht(evapi=>count) == $null || $sht(evapi=>count) < 1) {
		append_to_reply("Retry-After: 5\r\n");
		sl_send_reply("503", "Service Unavailable");
		exit;
	}
}

include_file "{{DIR}}/register.cfg"
include_file "{{DIR}}/calls.cfg"
include_file "{{DIR}}/messages.cfg"
include_file "{{DIR}}/evapi.cfg"
