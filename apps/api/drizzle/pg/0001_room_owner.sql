ALTER TABLE "rooms" RENAME COLUMN "host_user_id" TO "owner_user_id";--> statement-breakpoint
ALTER TABLE "rooms" DROP CONSTRAINT "rooms_host_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;