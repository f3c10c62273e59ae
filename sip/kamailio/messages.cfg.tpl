# SIP MESSAGE chat (RFC 3428) for agents who only use a SIP client.
# Included by kamailio.cfg.
#
# To agents: our process sends {"type":"send_message"} over evapi; the
# evapi route builds the MESSAGE with uac_req_send() and sends it to this
# very Kamailio's UDP socket, where route MESSAGE looks the agent up in the
# location table and relays it to every registered contact (phone, browser,
# behind NAT or WebSocket alike), like any other request.
#
# From agents: a MESSAGE to a conversation's address sip:c-<node>@domain is
# authenticated like an INVITE (407, RFC 3428 §4 lets proxies challenge),
# and our process decides (route MESSAGE_AUTH): 202 Accepted then the
# "chat_ok" report puts it into the conversation, or a refusal.

route[MESSAGE] {
	# One of ours, sent by uac_req_send() from our own socket: no credentials to check.
	# (No one else can send from that address and port: Kamailio holds the socket.)
	if (proto == UDP && src_ip == myself && $sp == {{SIP_PORT}} && is_present_hf("X-Switchboard-Chat")) {
		remove_hf("X-Switchboard-Chat");
		if (!lookup("location")) {
			sl_send_reply("480", "Temporarily Unavailable");
			exit;
		}
		t_relay();
		exit;
	}
	route(NEED_CONTROL);
	# RFC 3428 §7: plain text only here; 415 lists what we take.
	if (!has_body("text/plain")) {
		append_to_reply("Accept: text/plain\r\n");
		sl_send_reply("415", "Unsupported Media Type");
		exit;
	}
	if (!has_credentials("{{REALM}}") || $au == $null) {
		proxy_challenge("{{REALM}}", "1");
		exit;
	}
	t_newtran();
	$var(q) = "{}";
	jansson_set("string", "type", "chat", "$var(q)");
	jansson_set("int", "tindex", "$T(id_index)", "$var(q)");
	jansson_set("int", "tlabel", "$T(id_label)", "$var(q)");
	jansson_set("string", "user", "$au", "$var(q)");
	jansson_set("string", "ruser", "$rU", "$var(q)");
	jansson_set("string", "body", "$rb", "$var(q)");
	jansson_set("string", "src", "$avp(src)", "$var(q)");
	if (!evapi_async_multicast("$var(q)", "switchboard")) {
		t_reply("500", "Server Error");
	}
	exit;
}

# Resumed with $var(ha1), and either $var(pending) (the message our process
# holds until the digest is proven here) or $var(code)/$var(reason).
route[MESSAGE_AUTH] {
	$var(rc) = pv_proxy_authenticate("{{REALM}}", "$var(ha1)", "1");
	if ($var(rc) != 1) {
		route(AUTH_FAILED);
		exit;
	}
	if ($au != $fU) {
		t_reply("403", "Forbidden");
		exit;
	}
	if ($var(pending) == "") {
		t_reply("$var(code)", "$var(reason)");
		exit;
	}
	$var(e) = "{}";
	jansson_set("string", "type", "chat_ok", "$var(e)");
	jansson_set("string", "pending", "$var(pending)", "$var(e)");
	evapi_multicast("$var(e)", "switchboard");
	# RFC 3428 §7: accepted for delivery (into the conversation, right after this).
	t_reply("202", "Accepted");
}

# A MESSAGE from our process to an agent ($var(m) holds the evapi message).
route[SEND_MESSAGE] {
	jansson_get("to", "$var(m)", "$var(to)");
	jansson_get("from", "$var(m)", "$var(from)");
	jansson_get("body", "$var(m)", "$var(body)");
	$uac_req(all) = $null;
	$uac_req(method) = "MESSAGE";
	$uac_req(ruri) = "sip:" + $var(to) + "@{{SIP_DOMAIN}}";
	$uac_req(turi) = $uac_req(ruri);
	$uac_req(furi) = $var(from);
	$uac_req(ouri) = "sip:{{SIP_INTERFACE}}:{{SIP_PORT}};transport=udp";
	$uac_req(hdrs) = "Content-Type: text/plain;charset=UTF-8\r\nX-Switchboard-Chat: 1\r\n";
	$uac_req(body) = $var(body);
	uac_req_send();
}

# What an agent's client takes, when its REGISTER did not say (neither an
# Allow nor an Accept header, RFC 3261 §20.5): our process asks for
# {"type":"probe"} and an OPTIONS query (RFC 3261 §11) goes to the agent's
# address through this Kamailio, like our MESSAGEs; the final answer's Allow
# and Accept headers go back as {"type":"probe_reply"}.
route[PROBE] {
	jansson_get("to", "$var(m)", "$var(to)");
	$uac_req(all) = $null;
	$uac_req(method) = "OPTIONS";
	$uac_req(ruri) = "sip:" + $var(to) + "@{{SIP_DOMAIN}}";
	$uac_req(turi) = $uac_req(ruri);
	$uac_req(furi) = "sip:desk@{{SIP_DOMAIN}}";
	$uac_req(ouri) = "sip:{{SIP_INTERFACE}}:{{SIP_PORT}};transport=udp";
	$uac_req(hdrs) = "Accept: application/sdp\r\nX-Switchboard-Probe: 1\r\n";
	$uac_req(evroute) = 1;
	uac_req_send();
}

# Our own OPTIONS query arriving on our socket: to the agent's contacts.
# Anyone else's OPTIONS to a user is refused by the caller (403).
route[PROBE_RELAY] {
	if (proto == UDP && src_ip == myself && $sp == {{SIP_PORT}} && is_present_hf("X-Switchboard-Probe")) {
		remove_hf("X-Switchboard-Probe");
		if (!lookup("location")) {
			sl_send_reply("480", "Temporarily Unavailable");
			exit;
		}
		t_relay();
		exit;
	}
}

# The final answer to a request sent with uac_req_send() and evroute set:
# only our OPTIONS queries set it. The answer is the message here.
event_route[uac:reply] {
	$var(e) = "{}";
	jansson_set("string", "type", "probe_reply", "$var(e)");
	jansson_set("string", "user", "$tU", "$var(e)");
	jansson_set("int", "code", "$uac_req(evcode)", "$var(e)");
	if (is_present_hf("Allow")) {
		jansson_set("string", "allow", "$(hdr(Allow)[*])", "$var(e)");
	}
	if (is_present_hf("Accept")) {
		jansson_set("string", "accept", "$(hdr(Accept)[*])", "$var(e)");
	}
	evapi_multicast("$var(e)", "switchboard");
}
