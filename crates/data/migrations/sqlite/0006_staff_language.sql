-- Staff choose the language of their pages (users have theirs since 0001).
-- Keep in step with ../postgres/0006_staff_language.sql.
ALTER TABLE staff ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
