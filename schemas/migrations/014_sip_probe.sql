-- Whether a registered SIP contact takes MESSAGE may be unknown: a REGISTER
-- without an Allow header says nothing (RFC 3261 §20.5), and the contact is
-- then asked with OPTIONS. NULL = not known yet.
ALTER TABLE sip_registrations ALTER COLUMN accepts_message DROP NOT NULL;
ALTER TABLE sip_registrations ALTER COLUMN accepts_message DROP DEFAULT;
