-- Switchboard: keeps anonymous customers inside the contact center.
-- Loaded on the guest vhost only. A guest may address its own session and
-- server (bind, ping, disco) and the hosts listed in switchboard_guest_allowed
-- (our MUC and desk services); every other destination -- agents' JIDs, other
-- guests, other servers -- is refused before routing.
local jid_split = require "util.jid".split;
local st = require "util.stanza";

local allowed = module:get_option_set("switchboard_guest_allowed", {});
local own_host = module.host;

local function permitted(event)
	local stanza = event.stanza;
	if event.to_self then return true; end
	local to = stanza.attr.to;
	if to == nil then return true; end
	local node, host = jid_split(to);
	if host == own_host and node == nil then return true; end -- the server itself
	return allowed:contains(host);
end

module:hook("pre-stanza", function (event)
	if permitted(event) then return; end
	local stanza = event.stanza;
	local t = stanza.attr.type;
	event.reason = "guest fence";
	module:log("debug", "Refused guest stanza %s to %s", stanza.name, tostring(stanza.attr.to));
	if t ~= "error" and t ~= "result" and not (stanza.name == "presence" and t ~= nil and t ~= "probe") then
		event.origin.send(st.error_reply(stanza, "cancel", "not-allowed",
			"Guests can only talk to the contact center's services."));
	end
	return true;
end, 1000);
