CREATE TABLE `in_doubt_batches` (
	`id` integer PRIMARY KEY NOT NULL,
	`sync` text NOT NULL,
	`marked_at` integer NOT NULL,
	`text_keys` text NOT NULL,
	`json_keys` text NOT NULL
);
