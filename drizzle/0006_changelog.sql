CREATE TABLE `changelog` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`operation` text NOT NULL,
	`outcome` text NOT NULL,
	`code` text,
	`reason` text,
	`remote_id` text,
	`attempts` integer NOT NULL,
	`at` integer NOT NULL,
	`values` text
);
--> statement-breakpoint
CREATE INDEX `changelog_run` ON `changelog` (`run_id`,`id`);--> statement-breakpoint
CREATE INDEX `changelog_record` ON `changelog` (`sync`,`key`);--> statement-breakpoint
CREATE TABLE `destination_calls` (
	`id` integer PRIMARY KEY NOT NULL,
	`destination` text NOT NULL,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`url` text NOT NULL,
	`status` integer,
	`ms` integer NOT NULL,
	`request_bytes` integer NOT NULL,
	`response_bytes` integer NOT NULL,
	`run_id` text,
	`batch` integer,
	`error` text,
	`request_body` text,
	`response_body` text
);
--> statement-breakpoint
CREATE INDEX `destination_calls_destination` ON `destination_calls` (`destination`,`id`);