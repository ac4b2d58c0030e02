-- 006: folders as people see them: the decoded name (modified UTF-7 on the wire), the
-- hierarchy delimiter, and whether the folder can hold messages at all.
ALTER TABLE folders ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE folders ADD COLUMN delimiter TEXT NOT NULL DEFAULT '/';
ALTER TABLE folders ADD COLUMN selectable INTEGER NOT NULL DEFAULT 1;
