-- Hand-edited: drizzle-kit generated a table rebuild whose INSERT read the new column name from
-- the old table, and whose DROP TABLE would cascade to participants (PRAGMA foreign_keys is a
-- no-op inside the migration's transaction). SQLite >= 3.25 renames in place, foreign key included.
ALTER TABLE `rooms` RENAME COLUMN `host_user_id` TO `owner_user_id`;
