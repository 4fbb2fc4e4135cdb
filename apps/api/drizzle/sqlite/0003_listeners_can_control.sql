-- Hand-written, for the reason given in 0001_room_owner.sql: drizzle-kit's table rebuild would
-- read the new column name from the old table and cascade its DROP TABLE to participants.
ALTER TABLE `rooms` RENAME COLUMN `guests_can_control` TO `listeners_can_control`;
