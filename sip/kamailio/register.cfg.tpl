# REGISTER: digest with the HA1 our process gives, failure counting and bans,
# and the contact reports that feed our registry. Included by kamailio.cfg.

# REGISTER (RFC 3261 §10.3): challenge here; with credentials, check them
# with the HA1 kept from our process, or ask it and continue in REGISTER_AUTH.
route[REGISTER] {
	route(NEED_CONTROL);
	if (!has_credentials("{{REALM}}") || $au == $null) {
		www_challenge("{{REALM}}", "1");
		exit;
	}
	# Our process gave this user's HA1 lately: checked here, statelessly, with
	# no round trip (it drops the entry when the agent's SIP info changes or
	# goes, and all of them when it connects). Any failure drops the entry and
	# takes the usual way below, which counts failures and bans.
	if ($sht(ha1=>$au) != $null) {
		$var(rc) = pv_www_authenticate("{{REALM}}", "$sht(ha1=>$au)", "1");
		if ($var(rc) == 1) {
			route(REGISTERED);
			exit;
		}
		sht_rm("ha1", "$au");
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
		route(REGISTERED);
		exit;
	}
	route(AUTH_FAILED);
}

# The digest is right: the contact is saved (save() answers) and reported.
route[REGISTERED] {
	if ($au != $tU) {
		send_reply("403", "Forbidden");
		exit;
	}
	consume_credentials();
	save("location");
	$var(saved) = $rc;
	if ($var(saved) < 0) {
		sl_reply_error();
		exit;
	}
	# A refresh (save() 2: contacts updated, none added or removed) soon
	# after a report changes nothing our process must know yet: the report
	# it has still covers half of the lifetime (see CONTACTS).
	if ($var(saved) == 2 && $sht(reported=>$tU) != $null) {
		exit;
	}
	route(CONTACTS);
}

# A digest check failed ($var(rc)): for REGISTER (401) and INVITE (407) alike.
# Stale nonce: the password may be right, challenge again with stale=true.
# Otherwise count the failure against the source, ban it at the limit; the
# first failure of a Call-ID gets a fresh challenge, the next one 403.
route[AUTH_FAILED] {
	if ($var(rc) == -4 || $var(rc) == -6) {
		$var(flags) = 17;
		route(CHALLENGE);
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
		$var(flags) = 1;
		route(CHALLENGE);
		exit;
	}
	t_reply("403", "Forbidden");
}

# A challenge from a resumed transaction (www_challenge() only works before
# the suspend): 401 WWW-Authenticate for REGISTER, 407 Proxy-Authenticate else.
route[CHALLENGE] {
	auth_get_www_authenticate("{{REALM}}", "$var(flags)", "$var(wa)");
	if (is_method("REGISTER")) {
		append_to_reply("$var(wa)");
		t_reply("401", "Unauthorized");
	} else {
		append_to_reply("$(var(wa){s.replace,WWW-Authenticate,Proxy-Authenticate})");
		t_reply("407", "Proxy Authentication Required");
	}
}

# After save(): tell our process the AOR's whole contact set (a snapshot, so
# an un-REGISTER or a replaced contact needs no special case).
route[CONTACTS] {
	$var(e) = "{}";
	jansson_set("string", "type", "contacts", "$var(e)");
	jansson_set("string", "user", "$tU", "$var(e)");
	jansson_set("array", "contacts", "[]", "$var(e)");
	$var(left) = 0;
	if (reg_fetch_contacts("location", "sip:$tU@{{SIP_DOMAIN}}", "reg")) {
		$var(i) = 0;
		$var(left) = 86400;
		while ($var(i) < $ulc(reg=>count)) {
			$var(c) = "{}";
			jansson_set("string", "uri", "$(ulc(reg=>addr)[$var(i)])", "$var(c)");
			jansson_set("int", "expires", "$(ulc(reg=>expires)[$var(i)])", "$var(c)");
			jansson_set("string", "callid", "$(ulc(reg=>callid)[$var(i)])", "$var(c)");
			jansson_set("string", "received", "$(ulc(reg=>received)[$var(i)])", "$var(c)");
			jansson_set("string", "user_agent", "$(ulc(reg=>user_agent)[$var(i)])", "$var(c)");
			jansson_set("int", "methods", "$(ulc(reg=>methods)[$var(i)])", "$var(c)");
			jansson_append("obj", "contacts", "$var(c)", "$var(e)");
			$var(x) = $(ulc(reg=>expires)[$var(i)]) - $TS;
			if ($var(x) < $var(left)) {
				$var(left) = $var(x);
			}
			$var(i) = $var(i) + 1;
		}
		reg_free_contacts("reg");
	}
	# Refreshes of this AOR within half of its shortest lifetime need no report.
	if ($var(left) >= 2) {
		$sht(reported=>$tU) = 1;
		$var(ttl) = $var(left) / 2;
		$shtex(reported=>$tU) = $var(ttl);
	} else {
		sht_rm("reported", "$tU");
	}
	jansson_set("int", "now", "$TS", "$var(e)");
	jansson_set("string", "src", "$avp(src)", "$var(e)");
	# The body types this REGISTER's client accepts (RFC 3261 §20.1): with no
	# Allow header, text/plain here is what says it reads MESSAGE (Linphone).
	jansson_set("string", "callid", "$ci", "$var(e)");
	if (is_present_hf("Accept")) {
		jansson_set("string", "accept", "$(hdr(Accept)[*])", "$var(e)");
	}
	evapi_multicast("$var(e)", "switchboard");
}

event_route[usrloc:contact-expired] {
	$var(e) = "{}";
	jansson_set("string", "type", "expired", "$var(e)");
	jansson_set("string", "user", "$ulc(exp=>aor)", "$var(e)");
	jansson_set("string", "uri", "$ulc(exp=>addr)", "$var(e)");
	evapi_multicast("$var(e)", "switchboard");
}
