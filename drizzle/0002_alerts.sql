CREATE TABLE `alert_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_outbox_due` ON `alert_outbox` (`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`rule` text NOT NULL,
	`sync` text NOT NULL,
	`status` text NOT NULL,
	`firing_since` integer NOT NULL,
	`resolved_at` integer,
	`run_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`rule`, `sync`)
);
