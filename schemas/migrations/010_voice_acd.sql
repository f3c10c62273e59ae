-- SIP MESSAGE chat (RFC 3428): whether a registered contact takes MESSAGE
-- (its REGISTER's Allow header listed it), so chats reach agents who only
-- use a SIP client; a restarted worker must still know.
ALTER TABLE sip_registrations ADD COLUMN IF NOT EXISTS accepts_message boolean NOT NULL DEFAULT false;
