CREATE TABLE `sync_log_pending` (
	`run_id` text PRIMARY KEY NOT NULL,
	`sync` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_log_pending_sync` ON `sync_log_pending` (`sync`,`run_id`);