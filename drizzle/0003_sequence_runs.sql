CREATE TABLE `sequence_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`sequence` text NOT NULL,
	`status` text NOT NULL,
	`trigger` text NOT NULL,
	`on_failure` text NOT NULL,
	`members` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`error_code` text,
	`error_message` text,
	`owner` text,
	`heartbeat_at` integer
);
--> statement-breakpoint
CREATE INDEX `sequence_runs_sequence` ON `sequence_runs` (`sequence`,`created_at`);--> statement-breakpoint
CREATE INDEX `sequence_runs_status` ON `sequence_runs` (`status`);