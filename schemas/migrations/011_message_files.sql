-- The file a message carried (XEP-0066 out-of-band URL of an upload), so the
-- room's history on join and its archive (XEP-0313) show it as a file again.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS file_url text;
