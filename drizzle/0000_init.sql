CREATE TABLE `ledger` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`operation` text NOT NULL,
	`change` text NOT NULL,
	`attempts` integer NOT NULL,
	`error_class` text NOT NULL,
	`error_code` text NOT NULL,
	`reason` text NOT NULL,
	`first_failed_at` integer NOT NULL,
	`last_failed_at` integer NOT NULL,
	`next_attempt_at` integer,
	`last_run_id` text NOT NULL,
	PRIMARY KEY(`sync`, `key`)
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`sync` text NOT NULL,
	`status` text NOT NULL,
	`trigger` text NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`counts` text,
	`invalid` integer DEFAULT 0 NOT NULL,
	`invalid_samples` text,
	`error_code` text,
	`error_message` text,
	`owner` text,
	`heartbeat_at` integer
);
--> statement-breakpoint
CREATE INDEX `runs_sync_created` ON `runs` (`sync`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status` ON `runs` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `runs_idempotency` ON `runs` (`sync`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `snapshots` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`hash` text NOT NULL,
	`remote_id` text,
	`delivered_at` integer NOT NULL,
	PRIMARY KEY(`sync`, `key`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`sync` text PRIMARY KEY NOT NULL,
	`target_identity` text NOT NULL,
	`model_identity` text NOT NULL,
	`updated_at` integer NOT NULL
);
