-- 016: the largest message the account's submission server takes, from its EHLO `SIZE`
-- (RFC 1870), in bytes; NULL while unknown or when it announced no limit. Learned at each
-- SMTP login, so that Send refuses a message over it at once (nothing is queued or
-- uploaded) and Compose can warn while attachments are added.
ALTER TABLE accounts ADD COLUMN smtp_max_size INTEGER;
