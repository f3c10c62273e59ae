# Calls (RFC 3261 §13, §16): our process picks the target of every new INVITE;
# Kamailio authenticates agents, finds the target's contacts, relays, and has
# rtpengine bridge the media with the flags for each side's kind (browser =
# WebRTC over WebSocket, phone = plain RTP). Included by kamailio.cfg.

# A new INVITE. Agents prove who they are with digest (407); customers carry
# their conversation's token in X-Conversation-Token and can only reach the
# agent serving that conversation. Either way our process decides.
route[INVITE] {
	route(NEED_CONTROL);
	if (!has_body("application/sdp")) {
		# Offers in the INVITE only (no late offer yet).
		sl_send_reply("488", "Not Acceptable Here");
		exit;
	}
	$avp(caller_ws) = "0";
	if (proto == WS || proto == WSS) {
		$avp(caller_ws) = "1";
	}
	$var(q) = "{}";
	if (is_present_hf("X-Conversation-Token")) {
		$avp(caller) = "customer";
		jansson_set("string", "token", "$hdr(X-Conversation-Token)", "$var(q)");
		# A room's entry (sip:room-<slug>@domain) also names the conversation,
		# and a video offer needs a room that shows the video button.
		if (is_present_hf("X-Conversation")) {
			jansson_set("string", "conversation", "$hdr(X-Conversation)", "$var(q)");
		}
		if (search_body("m=video ")) {
			jansson_set("string", "video", "1", "$var(q)");
		}
	} else {
		if (!has_credentials("{{REALM}}") || $au == $null) {
			proxy_challenge("{{REALM}}", "1");
			exit;
		}
		$avp(caller) = "agent";
		jansson_set("string", "user", "$au", "$var(q)");
	}
	# Both must happen before the suspend (they add to the request for every branch).
	record_route();
	dlg_manage();
	t_newtran();
	jansson_set("string", "type", "invite", "$var(q)");
	jansson_set("int", "tindex", "$T(id_index)", "$var(q)");
	jansson_set("int", "tlabel", "$T(id_label)", "$var(q)");
	jansson_set("string", "caller", "$avp(caller)", "$var(q)");
	jansson_set("string", "ruser", "$rU", "$var(q)");
	jansson_set("string", "from", "$fu", "$var(q)");
	jansson_set("string", "callid", "$ci", "$var(q)");
	jansson_set("string", "src", "$avp(src)", "$var(q)");
	jansson_set("string", "webrtc", "$avp(caller_ws)", "$var(q)");
	if (!evapi_async_multicast("$var(q)", "switchboard")) {
		t_reply("500", "Server Error");
	}
	exit;
}

# Resumed with our process's answer: $var(ha1) for an agent caller,
# $var(target) (an agent's SIP username) or $var(code)/$var(reason), $var(call).
route[INVITE_ROUTE] {
	if ($avp(caller) == "agent") {
		$var(rc) = pv_proxy_authenticate("{{REALM}}", "$var(ha1)", "1");
		if ($var(rc) != 1) {
			route(AUTH_FAILED);
			exit;
		}
		if ($au != $fU) {
			t_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
	}
	remove_hf("X-Conversation-Token");
	remove_hf("X-Conversation");
	if ($var(ntargets) > 0) {
		route(ACD);
		exit;
	}
	if ($var(target) == "") {
		t_reply("$var(code)", "$var(reason)");
		exit;
	}
	$ru = "sip:" + $var(target) + "@{{SIP_DOMAIN}}";
	if (!lookup("location")) {
		t_reply("480", "Temporarily Unavailable");
		exit;
	}
	$dlg_var(call) = $var(call);
	$dlg_var(caller_ws) = $avp(caller_ws);
	t_on_branch("BRANCH");
	t_on_reply("REPLY");
	t_on_failure("FAILED");
	if (!t_relay()) {
		sl_reply_error();
	}
}

# A room's entry: serial forking over the agents our process ranked (the
# room's strategy, only agents registered and free), each rung for the ring
# time, then the next on no answer, busy, decline or any failure.
#
# Why the whole list up front rather than asking our process again from the
# failure route: a suspend in a failure route is a second round trip per
# agent and another way to leave the caller hanging if our process is gone;
# the list is fixed when the call starts, like offers are, and each agent's
# registration is still looked up at its turn (a phone gone meanwhile is
# skipped). Kamailio reports each try and the end of the list ("acd" events).
# t_load_contacts/t_next_contacts would do the same over one AOR's q-values;
# here every step is a different AOR, so the list is kept in $avp(acd)
# (index 0 = the first agent) and the position in $dlg_var(acd_i).
route[ACD] {
	$var(i) = $var(ntargets) - 1;
	while ($var(i) >= 0) {
		jansson_get("targets[$var(i)]", "$var(m)", "$var(u)");
		$avp(acd) = $var(u);
		$var(i) = $var(i) - 1;
	}
	$avp(acd_n) = $var(ntargets);
	$avp(acd_ring) = $var(ring) * 1000;
	$dlg_var(acd_i) = "0";
	$dlg_var(call) = $var(call);
	$dlg_var(caller_ws) = $avp(caller_ws);
	# The whole transaction may last for every agent's ring time (plus slack).
	$var(life) = $avp(acd_n) * $avp(acd_ring) + 10000;
	t_set_max_lifetime("$var(life)", "0");
	route(ACD_NEXT);
}

# Rings the next agent on the list that has a contact; none left: 480.
route[ACD_NEXT] {
	$var(i) = $(dlg_var(acd_i){s.int});
	while ($var(i) < $avp(acd_n)) {
		$var(user) = $(avp(acd)[$var(i)]);
		$var(i) = $var(i) + 1;
		$dlg_var(acd_i) = "" + $var(i);
		$ru = "sip:" + $var(user) + "@{{SIP_DOMAIN}}";
		$du = $null;
		if (lookup("location")) {
			$dlg_var(agent) = $var(user);
			$var(e) = "{}";
			jansson_set("string", "type", "acd", "$var(e)");
			jansson_set("string", "event", "try", "$var(e)");
			jansson_set("string", "call", "$dlg_var(call)", "$var(e)");
			jansson_set("string", "agent", "$var(user)", "$var(e)");
			evapi_multicast("$var(e)", "switchboard");
			# No answer (or no reply at all) within the ring time: the next agent.
			t_set_fr("$avp(acd_ring)", "$avp(acd_ring)");
			t_on_branch("BRANCH");
			t_on_reply("REPLY");
			t_on_failure("ACD_FAILED");
			if (t_relay()) {
				return 1;
			}
		}
	}
	rtpengine_delete("delete-delay=0");
	$var(e) = "{}";
	jansson_set("string", "type", "acd", "$var(e)");
	jansson_set("string", "event", "none", "$var(e)");
	jansson_set("string", "call", "$dlg_var(call)", "$var(e)");
	evapi_multicast("$var(e)", "switchboard");
	t_reply("480", "Temporarily Unavailable");
	return 1;
}

# An agent did not answer in time (408), was busy (486), declined (603) or
# failed otherwise: the next one, unless the customer gave up (CANCEL).
failure_route[ACD_FAILED] {
	if (t_is_canceled()) {
		rtpengine_delete("delete-delay=0");
		exit;
	}
	route(ACD_NEXT);
}

# Each contact tried: the offer is rewritten for what that contact is.
branch_route[BRANCH] {
	$var(from_ws) = $avp(caller_ws);
	$var(to_ws) = "0";
	if ($(ru{s.tolower}) =~ "transport=wss?") {
		$var(to_ws) = "1";
	} else if ($du != $null && $(du{s.tolower}) =~ "transport=wss?") {
		$var(to_ws) = "1";
	}
	route(RTP_OFFER);
}

onreply_route[REPLY] {
	route(NATREPLY);
	if (status =~ "^18[03]$" && $dlg_var(rang) == $null) {
		$dlg_var(rang) = "1";
		$var(event) = "ringing";
		route(DIALOG_EVENT);
	}
	if (has_body("application/sdp")) {
		$var(from_ws) = "0";
		if (proto == WS || proto == WSS) {
			$var(from_ws) = "1";
		}
		$var(to_ws) = $avp(caller_ws);
		if (status =~ "^2") {
			$dlg_var(callee_ws) = $var(from_ws);
		}
		route(RTP_ANSWER);
	}
}

# A callee behind NAT or on WebSocket: in-dialog requests must reach the
# connection its answer came from.
route[NATREPLY] {
	if (nat_uac_test("83")) {
		set_contact_alias();
	}
}

failure_route[FAILED] {
	rtpengine_delete("delete-delay=0");
}

# Requests inside a dialog: only along our Record-Route and only for dialogs
# we created (a forged Route header must not turn us into a relay elsewhere).
route[WITHINDLG] {
	if (!loose_route()) {
		if (is_method("ACK") && t_check_trans()) {
			t_relay();
			exit;
		}
		sl_send_reply("404", "Not Here");
		exit;
	}
	if (!is_known_dlg()) {
		sl_send_reply("403", "Forbidden");
		exit;
	}
	handle_ruri_alias();
	if (is_method("BYE")) {
		rtpengine_delete("delete-delay=0");
	} else if (is_method("INVITE|UPDATE") && has_body("application/sdp")) {
		# Re-offers (hold, adding video): the direction of this request in the dialog.
		if (is_direction("downstream")) {
			$var(from_ws) = $dlg_var(caller_ws);
			$var(to_ws) = $dlg_var(callee_ws);
		} else {
			$var(from_ws) = $dlg_var(callee_ws);
			$var(to_ws) = $dlg_var(caller_ws);
		}
		$avp(offerer_ws) = $var(from_ws);
		route(RTP_OFFER);
		t_on_reply("REPLY_INDLG");
	}
	if (!t_relay()) {
		sl_reply_error();
	}
}

onreply_route[REPLY_INDLG] {
	route(NATREPLY);
	if (has_body("application/sdp")) {
		$var(from_ws) = "0";
		if (proto == WS || proto == WSS) {
			$var(from_ws) = "1";
		}
		$var(to_ws) = $avp(offerer_ws);
		route(RTP_ANSWER);
	}
}

# An offer from the $var(from_ws) side to the $var(to_ws) side ("1" = browser).
# Toward a browser: ICE, DTLS-SRTP, rtcp-mux; toward a phone: plain RTP/AVP.
# ICE-lite=backward toward the phone side of a browser call avoids the DTLS
# deadlock DTLS=passive causes.
route[RTP_OFFER] {
	if ($var(to_ws) == "1") {
		if ($var(from_ws) == "1") {
			rtpengine_offer("replace-origin replace-session-connection ICE=force ICE-lite=backward");
		} else {
			rtpengine_offer("replace-origin replace-session-connection ICE=force UDP/TLS/RTP/SAVPF rtcp-mux-offer generate-mid SDES-off");
		}
	} else {
		if ($var(from_ws) == "1") {
			rtpengine_offer("replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux DTLS=off SDES-off ICE-lite=backward");
		} else {
			rtpengine_offer("replace-origin replace-session-connection ICE=remove RTP/AVP");
		}
	}
}

# The answer from the $var(from_ws) side, going back to the offerer ($var(to_ws)).
route[RTP_ANSWER] {
	if ($var(to_ws) == "1") {
		if ($var(from_ws) == "1") {
			rtpengine_answer("replace-origin replace-session-connection ICE=force");
		} else {
			rtpengine_answer("replace-origin replace-session-connection ICE=force rtcp-mux-require SDES-off");
		}
	} else {
		if ($var(from_ws) == "1") {
			rtpengine_answer("replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux");
		} else {
			rtpengine_answer("replace-origin replace-session-connection ICE=remove RTP/AVP");
		}
	}
}

# Dialog life, reported to our process for the call record and the conversation's timeline.
event_route[dialog:start] {
	$var(event) = "answered";
	route(DIALOG_EVENT);
}

event_route[dialog:end] {
	$var(event) = "ended";
	route(DIALOG_EVENT);
}

event_route[dialog:failed] {
	$var(event) = "failed";
	route(DIALOG_EVENT);
}

route[DIALOG_EVENT] {
	if ($dlg_var(call) == $null) {
		return;
	}
	$var(e) = "{}";
	jansson_set("string", "type", "dialog", "$var(e)");
	jansson_set("string", "event", "$var(event)", "$var(e)");
	jansson_set("string", "call", "$dlg_var(call)", "$var(e)");
	if ($dlg_var(agent) != $null) {
		jansson_set("string", "agent", "$dlg_var(agent)", "$var(e)");
	}
	evapi_multicast("$var(e)", "switchboard");
}
