CREATE TABLE `idempotency_keys` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`run_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`sync`, `key`)
);
--> statement-breakpoint
CREATE TABLE `used_signatures` (
	`digest` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_signatures_expires` ON `used_signatures` (`expires_at`);--> statement-breakpoint
-- Keys recorded on the runs they created carry over to the new table.
INSERT INTO `idempotency_keys` (`sync`, `key`, `run_id`, `created_at`)
  SELECT `sync`, `idempotency_key`, `id`, `created_at` FROM `runs` WHERE `idempotency_key` IS NOT NULL;--> statement-breakpoint
DROP INDEX `runs_idempotency`;--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `idempotency_key`;