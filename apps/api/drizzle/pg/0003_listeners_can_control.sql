ALTER TABLE "rooms" RENAME COLUMN "guests_can_control" TO "listeners_can_control";
