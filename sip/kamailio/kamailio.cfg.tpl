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
	if (!pike_check_ip("$avp(src)")) {
		xlog("L_WARN", "flood from $avp(src): dropping\n");
		exit;
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
	if (is_method("CANCEL|ACK")) {
		if (t_check_trans()) {
			t_relay();
		}
		exit;
	}
	if (has_totag()) {
		# No dialogs are routed yet (calls come next): nothing to continue.
		sl_send_reply("481", "Call/Transaction Does Not Exist");
		exit;
	}
	t_check_trans();
	if (is_method("REGISTER")) {
		route(REGISTER);
		exit;
	}
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

# REGISTER (RFC 3261 §10.3): challenge here; with credentials, ask our
# process for the user's HA1 and continue in REGISTER_AUTH.
route[REGISTER] {
	if ($sht(evapi=>count) == $null || $sht(evapi=>count) < 1) {
		append_to_reply("Retry-After: 5\r\n");
		sl_send_reply("503", "Service Unavailable");
		exit;
	}
	if (!has_credentials("{{REALM}}") || $au == $null) {
		www_challenge("{{REALM}}", "1");
		exit;
	}
	t_newtran();
	$var(q) = "{}";
	jansson_set("string", "type", "auth", "$var(q)");
	jansson_set("int", "tindex", "$T(id_index)", "$var(q)");
	jansson_set("int", "tlabel", "$T(id_label)", "$var(q)");
	jansson_set("string", "user", "$au", "$var(q)");
	jansson_set("string", "src", "$avp(src)", "$var(q)");
	if (!evapi_async_multicast("$var(q)", "switchboard")) {
		t_reply("500", "Server Error");
	}
	exit;
}

# Resumed by our process's answer: $var(ha1) is the user's HA1, or a decoy for
# an unknown user, so both fail the same way.
route[REGISTER_AUTH] {
	$var(rc) = pv_www_authenticate("{{REALM}}", "$var(ha1)", "1");
	if ($var(rc) == 1) {
		if ($au != $tU) {
			t_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
		if (!save("location")) {
			sl_reply_error();
			exit;
		}
		route(CONTACTS);
		exit;
	}
	if ($var(rc) == -4 || $var(rc) == -6) {
		# Stale nonce: the password may be right; challenge again, stale=true.
		route(CHALLENGE_STALE);
		exit;
	}
	if ($sht(authfail=>$avp(src)) == $null) {
		$sht(authfail=>$avp(src)) = 0;
	}
	if ($shtinc(authfail=>$avp(src)) >= {{MAX_FAILURES}}) {
		$sht(ban=>$avp(src)) = 1;
		$var(e) = "{}";
		jansson_set("string", "type", "banned", "$var(e)");
		jansson_set("string", "src", "$avp(src)", "$var(e)");
		evapi_multicast("$var(e)", "switchboard");
		t_reply("403", "Forbidden");
		exit;
	}
	if ($sht(authcid=>$ci) == $null) {
		$sht(authcid=>$ci) = 1;
		route(CHALLENGE);
		exit;
	}
	t_reply("403", "Forbidden");
}

route[CHALLENGE] {
	auth_get_www_authenticate("{{REALM}}", "1", "$var(wa)");
	append_to_reply("$var(wa)");
	t_reply("401", "Unauthorized");
}

route[CHALLENGE_STALE] {
	auth_get_www_authenticate("{{REALM}}", "17", "$var(wa)");
	append_to_reply("$var(wa)");
	t_reply("401", "Unauthorized");
}

# After save(): tell our process the AOR's whole contact set (a snapshot, so
# an un-REGISTER or a replaced contact needs no special case).
route[CONTACTS] {
	$var(e) = "{}";
	jansson_set("string", "type", "contacts", "$var(e)");
	jansson_set("string", "user", "$tU", "$var(e)");
	jansson_set("array", "contacts", "[]", "$var(e)");
	if (reg_fetch_contacts("location", "sip:$tU@{{SIP_DOMAIN}}", "reg")) {
		$var(i) = 0;
		while ($var(i) < $ulc(reg=>count)) {
			$var(c) = "{}";
			jansson_set("string", "uri", "$(ulc(reg=>addr)[$var(i)])", "$var(c)");
			jansson_set("int", "expires", "$(ulc(reg=>expires)[$var(i)])", "$var(c)");
			jansson_set("string", "callid", "$(ulc(reg=>callid)[$var(i)])", "$var(c)");
			jansson_set("string", "received", "$(ulc(reg=>received)[$var(i)])", "$var(c)");
			jansson_set("string", "user_agent", "$(ulc(reg=>user_agent)[$var(i)])", "$var(c)");
			jansson_append("obj", "contacts", "$var(c)", "$var(e)");
			$var(i) = $var(i) + 1;
		}
		reg_free_contacts("reg");
	}
	jansson_set("int", "now", "$TS", "$var(e)");
	jansson_set("string", "src", "$avp(src)", "$var(e)");
	evapi_multicast("$var(e)", "switchboard");
}

event_route[usrloc:contact-expired] {
	$var(e) = "{}";
	jansson_set("string", "type", "expired", "$var(e)");
	jansson_set("string", "user", "$ulc(exp=>aor)", "$var(e)");
	jansson_set("string", "uri", "$ulc(exp=>addr)", "$var(e)");
	evapi_multicast("$var(e)", "switchboard");
}

event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();
	if ($Rp != {{WS_PORT}}) {
		xhttp_reply("403", "Forbidden", "", "");
		exit;
	}
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if ($hdr(X-Forwarded-For) != $null) {
			$sht(wsip=>$si:$sp) = $hdr(X-Forwarded-For);
		}
		if (ws_handle_handshake()) {
			exit;
		}
	}
	xhttp_reply("404", "Not Found", "", "");
}

# evapi: our process connects, proves it knows the secret, and is tagged;
# only tagged connections get requests, and only their messages are obeyed.
# Never evapi_close() from these routes: in 5.6 it leaves the connection's
# watcher behind and the next client on that slot goes deaf. Impostors are
# left connected and ignored instead.
event_route[evapi:connection-new] {
	# A reused slot keeps its last connection's tag: clear it. (Multicast in
	# 5.6 matches any non-empty tag, so an unproven client's must be empty.)
	$var(none) = "";
	evapi_set_tag("$var(none)");
}

event_route[evapi:connection-closed] {
	if ($sht(evapi=>c$evapi(conidx)) != $null) {
		sht_rm("evapi", "c$evapi(conidx)");
		$var(n) = $shtdec(evapi=>count);
		xlog("L_NOTICE", "evapi client $evapi(srcaddr):$evapi(srcport) gone ($var(n) left)\n");
	}
}

event_route[evapi:message-received] {
	$var(m) = $evapi(msg);
	jansson_get("type", "$var(m)", "$var(type)");
	if ($var(type) == "hello") {
		jansson_get("secret", "$var(m)", "$var(secret)");
		if ($var(secret) != "{{EVAPI_SECRET}}") {
			xlog("L_WARN", "evapi client $evapi(srcaddr):$evapi(srcport): wrong secret, ignored\n");
			exit;
		}
		if ($sht(evapi=>c$evapi(conidx)) != $null) {
			exit;
		}
		evapi_set_tag("switchboard");
		$sht(evapi=>c$evapi(conidx)) = 1;
		$var(n) = $shtinc(evapi=>count);
		xlog("L_NOTICE", "evapi client $evapi(srcaddr):$evapi(srcport) ready ($var(n) connected)\n");
		$var(e) = "{}";
		jansson_set("string", "type", "hello", "$var(e)");
		jansson_set("int", "boot", "$Tb", "$var(e)");
		evapi_multicast("$var(e)", "switchboard");
		exit;
	}
	if ($sht(evapi=>c$evapi(conidx)) == $null) {
		exit;
	}
	jansson_get("tindex", "$var(m)", "$var(tindex)");
	jansson_get("tlabel", "$var(m)", "$var(tlabel)");
	if ($var(type) == "auth") {
		jansson_get("ha1", "$var(m)", "$var(ha1)");
		t_continue("$var(tindex)", "$var(tlabel)", "REGISTER_AUTH");
		exit;
	}
	if ($var(type) == "fail") {
		t_continue("$var(tindex)", "$var(tlabel)", "FAIL");
		exit;
	}
	xlog("L_WARN", "evapi: unknown message type [$var(type)]\n");
}

# Our process could not decide (its store failed): say so rather than time out.
route[FAIL] {
	t_reply("500", "Server Error");
}
