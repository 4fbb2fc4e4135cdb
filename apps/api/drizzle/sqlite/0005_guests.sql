CREATE TABLE `room_invites` (
	`room_code` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`room_code`) REFERENCES `rooms`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `room_invites_token_unique` ON `room_invites` (`token`);--> statement-breakpoint
ALTER TABLE `users` ADD `guest_room_code` text;