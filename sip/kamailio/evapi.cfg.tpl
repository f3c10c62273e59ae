# The evapi link to our process, and SIP over WebSocket's HTTP upgrade.
# Included by kamailio.cfg.

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
		# Whatever changed while it was away (a password, a deleted agent), HA1s
		# are asked anew; and it may have missed reports: the next REGISTER of
		# each AOR is reported whatever it is.
		sht_reset("ha1");
		sht_reset("reported");
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
	# $var values live on in this process between messages: set every one the resumed route reads.
	$var(ha1) = "";
	jansson_get("ha1", "$var(m)", "$var(ha1)");
	if ($var(type) == "auth") {
		# A real agent's HA1 (never the decoy of an unknown user) is kept for the next REGISTER.
		$var(cache) = "";
		jansson_get("cache", "$var(m)", "$var(cache)");
		if ($var(cache) != "") {
			$sht(ha1=>$var(cache)) = $var(ha1);
		}
		t_continue("$var(tindex)", "$var(tlabel)", "REGISTER_AUTH");
		exit;
	}
	if ($var(type) == "forget") {
		# An agent's SIP info changed or was removed ("user"), or anything may have ("all").
		$var(user) = "";
		jansson_get("user", "$var(m)", "$var(user)");
		if ($var(user) == "") {
			sht_reset("ha1");
		} else {
			sht_rm("ha1", "$var(user)");
		}
		# Done: our process may now say the old password no longer works.
		$var(id) = "";
		jansson_get("id", "$var(m)", "$var(id)");
		$var(e) = "{}";
		jansson_set("string", "type", "forgotten", "$var(e)");
		jansson_set("string", "id", "$var(id)", "$var(e)");
		evapi_multicast("$var(e)", "switchboard");
		exit;
	}
	if ($var(type) == "invite") {
		$var(target) = "";
		$var(code) = 500;
		$var(reason) = "Server Error";
		$var(call) = "";
		jansson_get("target", "$var(m)", "$var(target)");
		jansson_get("code", "$var(m)", "$var(code)");
		jansson_get("reason", "$var(m)", "$var(reason)");
		jansson_get("call", "$var(m)", "$var(call)");
		# A room call: the agents to ring in turn (read from $var(m) by route ACD) and the ring time.
		$var(ntargets) = 0;
		$var(ring) = 30;
		if (jansson_get("targets", "$var(m)", "$var(tl)")) {
			jansson_array_size("targets", "$var(m)", "$var(ntargets)");
			jansson_get("ring", "$var(m)", "$var(ring)");
		}
		t_continue("$var(tindex)", "$var(tlabel)", "INVITE_ROUTE");
		exit;
	}
	if ($var(type) == "chat") {
		$var(pending) = "";
		$var(code) = 500;
		$var(reason) = "Server Error";
		jansson_get("pending", "$var(m)", "$var(pending)");
		jansson_get("code", "$var(m)", "$var(code)");
		jansson_get("reason", "$var(m)", "$var(reason)");
		t_continue("$var(tindex)", "$var(tlabel)", "MESSAGE_AUTH");
		exit;
	}
	if ($var(type) == "send_message") {
		route(SEND_MESSAGE);
		exit;
	}
	if ($var(type) == "probe") {
		route(PROBE);
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
