CREATE TABLE `changelog_index` (
	`id` integer PRIMARY KEY NOT NULL,
	`upto` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `changelog_keys` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`id` integer NOT NULL,
	PRIMARY KEY(`sync`, `key`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `changelog_keys` (`sync`, `key`, `id`) SELECT `sync`, `key`, `id` FROM `changelog` ORDER BY `sync`, `key`, `id`;
--> statement-breakpoint
INSERT INTO `changelog_index` (`id`, `upto`) SELECT 1, coalesce(max(`id`), 0) FROM `changelog`;
--> statement-breakpoint
DROP INDEX `changelog_record`;
